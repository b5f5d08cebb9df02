namespace Doppel.Packs.Health.Trials;

/// <summary>
/// The PID controller's settings. Gains are in the patient's own therapy units, so one setting serves every patient:
/// the proportional action delivers the correction a deviation needs (deviation / correction factor) over
/// <see cref="CorrectionTime"/> minutes; integral and derivative times as in the textbook form u = K (e + ∫e/Ti + Td·de/dt).
/// </summary>
public sealed record PidSettings
{
    /// <summary>The glucose the controller holds (mg/dL).</summary>
    public double Target { get; init; } = 130;

    /// <summary>Minutes over which the proportional action gives a deviation's correction dose.</summary>
    public double CorrectionTime { get; init; } = 240;

    /// <summary>
    /// Integral time Ti (minutes); 0 turns the integral action off, the default: over the long rises after meals it
    /// winds up and then drives glucose low once the meal is absorbed (seen when tuning, docs/health-trials.md).
    /// </summary>
    public double IntegralTime { get; init; }

    /// <summary>Derivative time Td (minutes).</summary>
    public double DerivativeTime { get; init; } = 45;

    /// <summary>The share of the carb-ratio bolus an announced meal gets (hybrid closed loop; 0: none); the feedback gives the rest as glucose rises.</summary>
    public double MealBolus { get; init; } = 0.6;

    /// <summary>The highest rate, as a multiple of the patient's basal.</summary>
    public double MaxBasalMultiple { get; init; } = 5;

    /// <summary>Insulin stops while CGM is below this (mg/dL) or is headed below 70 within 30 minutes.</summary>
    public double SuspendBelow { get; init; } = 80;

    /// <summary>What each setting must satisfy, one sentence each; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Positive(Target, "target", errors);
        Positive(CorrectionTime, "correction time", errors);
        if (!(IntegralTime >= 0) || double.IsInfinity(IntegralTime))
        {
            errors.Add($"The integral time must be 0 (off) or more minutes, not {IntegralTime}.");
        }
        if (!(DerivativeTime >= 0) || double.IsInfinity(DerivativeTime))
        {
            errors.Add($"The derivative time must be 0 or more minutes, not {DerivativeTime}.");
        }
        if (!(MealBolus >= 0 && MealBolus <= 2))
        {
            errors.Add($"The meal bolus share must be 0 to 2, not {MealBolus}.");
        }
        if (!(MaxBasalMultiple >= 1) || double.IsInfinity(MaxBasalMultiple))
        {
            errors.Add($"The highest rate must be at least the basal (a multiple of 1 or more), not {MaxBasalMultiple}.");
        }
        if (!(SuspendBelow >= 0) || double.IsInfinity(SuspendBelow))
        {
            errors.Add($"The suspension threshold must be 0 or more mg/dL, not {SuspendBelow}.");
        }
        return errors;
    }

    private static void Positive(double value, string name, List<string> errors)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            errors.Add($"The {name} must be a positive number, not {value}.");
        }
    }
}
