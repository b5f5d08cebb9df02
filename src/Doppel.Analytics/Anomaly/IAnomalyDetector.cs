namespace Doppel.Analytics.Anomaly;

/// <summary>
/// A streaming anomaly detector for one series: given each reading in arrival order, how unusual it is. One instance
/// per series; not thread-safe. Deterministic for a given seed.
/// </summary>
public interface IAnomalyDetector
{
    /// <summary>The name it is created by (see <see cref="AnomalyDetectors"/>).</summary>
    string Name { get; }

    /// <summary>Scores the next reading and learns from it.</summary>
    AnomalyScore Next(DateTimeOffset time, double value);
}

/// <summary>An anomaly score in [0, 1], and, when it is high, why ("12.4 MADs above the median 41.0").</summary>
public readonly record struct AnomalyScore(double Score, string? Reason);
