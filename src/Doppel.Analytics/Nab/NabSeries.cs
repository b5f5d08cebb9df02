namespace Doppel.Analytics.Nab;

/// <summary>An anomaly window of a NAB series: the timestamps of its first and last rows.</summary>
public readonly record struct NabWindow(DateTime Start, DateTime End);

/// <summary>
/// One labelled NAB series: its rows in file order (timestamps may repeat or go back) and its anomaly windows.
/// </summary>
/// <param name="Name">The path relative to NAB's <c>data/</c> folder, e.g. <c>realKnownCause/nyc_taxi.csv</c>.</param>
/// <param name="Timestamps">Row timestamps, in file order.</param>
/// <param name="Values">Row values, in file order.</param>
/// <param name="Windows">The anomaly windows (none for a series without anomalies).</param>
public sealed record NabSeries(string Name, IReadOnlyList<DateTime> Timestamps, IReadOnlyList<double> Values, IReadOnlyList<NabWindow> Windows)
{
    /// <summary>NAB's probationary period: the first rows whose alarms neither earn nor cost anything.</summary>
    public int ProbationaryRows => ProbationaryLength(Timestamps.Count);

    /// <summary><c>min(floor(0.15 n), 0.15 * 5000)</c>, as NAB's sweeper computes it.</summary>
    public static int ProbationaryLength(int rows) => (int)Math.Ceiling(Math.Min(Math.Floor(0.15 * rows), 0.15 * 5000));
}
