namespace Doppel.Packs.Health.Patients;

/// <summary>How a <see cref="GlucoseEstimator"/> filters and forecasts; the defaults are written down once, here.</summary>
public sealed record GlucoseEstimatorOptions
{
    /// <summary>
    /// The CGM's noise the filter assumes (mg/dL, one standard deviation). simglucose's Johnson SU noise has about 12, but
    /// it is autocorrelated, so successive readings say less than white noise would: 18 was chosen on the tuning patients
    /// (adult#001, adolescent#001, child#001, adolescent#002; docs/health-live.md), scored on others.
    /// </summary>
    public double SensorNoise { get; init; } = 18;

    /// <summary>
    /// The model error the filter allows: a random walk on every state of this standard deviation per √minute, relative to
    /// the state's scale (what the model misses: an unannounced bite, a change in sensitivity).
    /// </summary>
    public double ProcessNoise { get; init; } = 0.003;

    /// <summary>Members of the forecast ensemble drawn from the estimate.</summary>
    public int Samples { get; init; } = 200;

    /// <summary>What the forecast intervals cover (0.9: from the 5th to the 95th percentile).</summary>
    public double Coverage { get; init; } = 0.9;

    /// <summary>Hypoglycaemia: blood glucose below this (mg/dL).</summary>
    public double HypoThreshold { get; init; } = 70;

    /// <summary>How far ahead the hypoglycaemia risk looks (minutes).</summary>
    public double HypoHorizon { get; init; } = 30;

    /// <summary>The predicted-hypoglycaemia alert is raised at this risk or above...</summary>
    public double AlertRisk { get; init; } = 0.3;

    /// <summary>...and resolved once the risk is below this.</summary>
    public double ClearRisk { get; init; } = 0.1;

    /// <summary>A gap between readings longer than this (minutes) starts the estimate afresh.</summary>
    public double MaxGap { get; init; } = 6 * 60;

    /// <summary>Checks the options; the errors, or none.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(SensorNoise > 0))
        {
            errors.Add($"SensorNoise must be positive, not {SensorNoise}.");
        }
        if (!(ProcessNoise >= 0))
        {
            errors.Add($"ProcessNoise must be 0 or more, not {ProcessNoise}.");
        }
        if (Samples < 10)
        {
            errors.Add($"Samples must be at least 10, not {Samples}.");
        }
        if (!(Coverage is > 0 and < 1))
        {
            errors.Add($"Coverage must lie between 0 and 1, not {Coverage}.");
        }
        if (!(ClearRisk <= AlertRisk && ClearRisk >= 0 && AlertRisk <= 1))
        {
            errors.Add($"ClearRisk ({ClearRisk}) must be between 0 and AlertRisk ({AlertRisk}), which is at most 1.");
        }
        return errors;
    }
}
