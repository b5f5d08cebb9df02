namespace Doppel.Packs.Health.Trials;

/// <summary>
/// The PID controller's settings. Gains are in the patient's own therapy units, so one setting serves every patient:
/// the proportional action delivers the correction a deviation needs (deviation / correction factor) over
/// <see cref="CorrectionTime"/> minutes; integral and derivative times as in the textbook form u = K (e + ∫e/Ti + Td·de/dt).
/// </summary>
public sealed record PidSettings
{
    /// <summary>The glucose the controller holds (mg/dL).</summary>
    public double Target { get; init; } = 120;

    /// <summary>Minutes over which the proportional action gives a deviation's correction dose.</summary>
    public double CorrectionTime { get; init; } = 120;

    /// <summary>Integral time Ti (minutes).</summary>
    public double IntegralTime { get; init; } = 300;

    /// <summary>Derivative time Td (minutes).</summary>
    public double DerivativeTime { get; init; } = 45;

    /// <summary>Whether an announced meal gets its carb-ratio bolus (hybrid closed loop), as the basal-bolus controller does.</summary>
    public bool MealBolus { get; init; } = true;

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
        Positive(IntegralTime, "integral time", errors);
        if (!(DerivativeTime >= 0) || double.IsInfinity(DerivativeTime))
        {
            errors.Add($"The derivative time must be 0 or more minutes, not {DerivativeTime}.");
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
