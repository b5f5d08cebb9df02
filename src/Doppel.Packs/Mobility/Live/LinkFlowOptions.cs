namespace Doppel.Packs.Mobility.Live;

/// <summary>How a <see cref="LinkFlowEstimator"/> runs; defaults written down once here (docs/traffic-live.md says why).</summary>
public sealed record LinkFlowOptions
{
    /// <summary>Ensemble members of the EnKF.</summary>
    public int Members { get; init; } = 64;

    /// <summary>Seed of the ensemble's draws and perturbed observations.</summary>
    public ulong Seed { get; init; } = 16;

    /// <summary>Standard deviation of the city-wide demand level's change per hour (log scale): a random walk that follows the day's peaks.</summary>
    public double LevelNoise { get; init; } = 0.35;

    /// <summary>Each road's own deviation relaxes back to the prior's with this time constant (h).</summary>
    public double RoadRelaxation { get; init; } = 6;

    /// <summary>
    /// Standard deviation of a road's own deviation from the prior (log scale): its spread at the start and for good (an
    /// Ornstein–Uhlenbeck process). Small, because two days of a city differ little road by road (the sample's survey day
    /// and replayed day: day volumes 2.5% apart at the median, 6.9% at most) and 16 counted roads cannot pin 48 deviations.
    /// </summary>
    public double RoadSpread { get; init; } = 0.05;

    /// <summary>Prior standard deviation of the city-wide level at the start (log scale).</summary>
    public double InitialLevelSpread { get; init; } = 1;

    /// <summary>Variance of a count's error beyond Poisson's on the square-root scale (where Poisson's is 1): detectors miss or double-count, lane changes.</summary>
    public double CountError { get; init; } = 0.25;

    /// <summary>Multiplicative inflation of the analysis anomalies.</summary>
    public double Inflation { get; init; } = 1.02;

    /// <summary>The probability the flow intervals cover.</summary>
    public double Coverage { get; init; } = 0.9;
}
