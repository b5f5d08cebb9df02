namespace Doppel.Packs.Manufacturing;

/// <summary>A line's KPIs over the measured period: throughput of good parts, WIP, lead time, each station, and the bottleneck.</summary>
public sealed record LineResult(double Duration, long Completed, double Throughput, double MeanWip, double MeanLeadTime, IReadOnlyList<StationResult> Stations)
{
    /// <summary>
    /// The station with the longest mean active period (Roser, Nakano and Tanaka's active-period method): the one that
    /// most often constrains the line by working or being repaired while the others wait.
    /// </summary>
    public string Bottleneck => Stations.MaxBy(s => s.MeanActivePeriod)!.Name;

    /// <summary>The line's OEE: good parts against what the slowest ideal cycle could make in the time.</summary>
    public double Oee(double idealCycleTime) => Completed * idealCycleTime / Duration;
}
