namespace Doppel.Packs.Mobility.Live;

/// <summary>
/// How well link flows estimated from detectors match the true flows of a replayed day, over (road, hour) cells whose
/// true volume is at least <see cref="MinimumVolume"/> vehicles: the share of cells within ±10%, the weighted absolute
/// percentage error (Σ|estimate − truth| / Σ truth), for the roads the detectors count and for those they do not; the
/// share of roads whose day volume is within ±10%; and how often the 90% intervals held a period's true count.
/// </summary>
public sealed record LinkFlowScore(
    int Periods, int Roads, int ObservedRoads, double MinimumVolume,
    LinkFlowScore.Part Observed, LinkFlowScore.Part Unobserved, LinkFlowScore.Part All,
    double DayWithin10, double IntervalCoverage)
{
    /// <summary>The figures of one set of roads.</summary>
    public sealed record Part(int Cells, double Within10, double Wape, double WorstDay);

    /// <summary>
    /// The criterion: on the counted roads, the estimate stays within ±10% of the counts (every road's day volume, and
    /// the hourly volumes on a weighted average); over all roads, counted or not, hourly volumes within 10% of the true
    /// ones on a weighted average.
    /// </summary>
    public bool Passes => Observed.WorstDay <= 0.10 && Observed.Wape <= 0.10 && All.Wape <= 0.10;
}
