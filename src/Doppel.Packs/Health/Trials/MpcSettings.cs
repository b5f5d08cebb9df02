namespace Doppel.Packs.Health.Trials;

/// <summary>
/// The model-predictive controller's settings: how far it looks, which insulin plans it weighs, how it scores a
/// predicted glucose trajectory, and its safety limits. Doses are in the patient's own units (basal multiples, fractions
/// of the carb-ratio bolus, a share of the total daily insulin), so one setting serves every patient.
/// </summary>
public sealed record MpcSettings
{
    /// <summary>How far each decision predicts (minutes).</summary>
    public double Horizon { get; init; } = 300;

    /// <summary>How long a candidate basal rate is held in a prediction before the basal resumes (minutes); the controller re-decides every sensor step.</summary>
    public double Hold { get; init; } = 30;

    /// <summary>The basal rates weighed, as multiples of the patient's basal.</summary>
    public IReadOnlyList<double> BasalMultiples { get; init; } = [0, 0.5, 1, 1.5, 2, 3, 4, 6];

    /// <summary>The meal boluses weighed when a meal is announced, as fractions of the carb-ratio bolus.</summary>
    public IReadOnlyList<double> BolusFractions { get; init; } = [0, 0.4, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25];

    /// <summary>Beyond the hold, predictions cut the basal while predicted glucose is below this (mg/dL), as the controller will when it gets there.</summary>
    public double PredictedSuspendBelow { get; init; } = 90;

    /// <summary>Below this predicted glucose (mg/dL) the low risk is weighted up by <see cref="LowRiskWeight"/>.</summary>
    public double LowGuard { get; init; } = 90;

    /// <summary>The extra weight of the low-glucose risk below <see cref="LowGuard"/> (a predicted value costs Kovatchev's risk, 1 + this weight times it there).</summary>
    public double LowRiskWeight { get; init; } = 10;

    /// <summary>Insulin stops (no basal, no bolus) when the chosen plan still predicts glucose below this within <see cref="SuspendLookahead"/> (mg/dL).</summary>
    public double SuspendBelow { get; init; } = 75;

    /// <summary>How far ahead a predicted low suspends insulin (minutes).</summary>
    public double SuspendLookahead { get; init; } = 60;

    /// <summary>Insulin on board (subcutaneous, above basal) beyond the boluses of the last three hours' meals, as a share of the total daily insulin.</summary>
    public double CorrectionOnBoard { get; init; } = 0.1;

    /// <summary>The filter that estimates the twin's state.</summary>
    public StateEstimatorKind Estimator { get; init; } = StateEstimatorKind.Unscented;

    /// <summary>The CGM noise the filter assumes (standard deviation, mg/dL).</summary>
    public double SensorNoise { get; init; } = 12;

    /// <summary>The model error the filter assumes, per √minute as a share of each state's scale.</summary>
    public double ProcessNoise { get; init; } = 0.003;

    /// <summary>What each setting must satisfy, one sentence each; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(Horizon >= 30 && Horizon <= 720))
        {
            errors.Add($"The horizon must be 30 to 720 minutes, not {Horizon}.");
        }
        if (!(Hold > 0 && Hold <= Horizon))
        {
            errors.Add($"The hold must be positive and at most the horizon, not {Hold}.");
        }
        if (BasalMultiples is not { Count: > 0 } || BasalMultiples.Any(m => !(m >= 0) || double.IsInfinity(m)))
        {
            errors.Add("The basal multiples must be one or more finite numbers, 0 or more.");
        }
        if (BolusFractions is not { Count: > 0 } || BolusFractions.Any(f => !(f >= 0) || double.IsInfinity(f)))
        {
            errors.Add("The bolus fractions must be one or more finite numbers, 0 or more.");
        }
        if (!(LowRiskWeight > 0) || double.IsInfinity(LowRiskWeight))
        {
            errors.Add($"The low-risk weight must be positive, not {LowRiskWeight}.");
        }
        if (!(LowGuard >= 0 && LowGuard < 180))
        {
            errors.Add($"The low guard must be 0 to 180 mg/dL, not {LowGuard}.");
        }
        if (!(SuspendBelow >= 0 && SuspendBelow < 180))
        {
            errors.Add($"The suspension threshold must be 0 to 180 mg/dL, not {SuspendBelow}.");
        }
        if (!(PredictedSuspendBelow >= 0 && PredictedSuspendBelow < 180))
        {
            errors.Add($"The predicted suspension threshold must be 0 to 180 mg/dL, not {PredictedSuspendBelow}.");
        }
        if (!(SuspendLookahead >= 0 && SuspendLookahead <= Horizon))
        {
            errors.Add($"The suspension lookahead must be 0 to the horizon, not {SuspendLookahead}.");
        }
        if (!(CorrectionOnBoard >= 0) || double.IsInfinity(CorrectionOnBoard))
        {
            errors.Add($"The correction on board must be 0 or more, not {CorrectionOnBoard}.");
        }
        if (!(SensorNoise > 0) || double.IsInfinity(SensorNoise))
        {
            errors.Add($"The sensor noise must be positive, not {SensorNoise}.");
        }
        if (!(ProcessNoise >= 0) || double.IsInfinity(ProcessNoise))
        {
            errors.Add($"The process noise must be 0 or more, not {ProcessNoise}.");
        }
        return errors;
    }
}
