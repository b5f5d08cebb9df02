namespace Doppel.Packs.Manufacturing;

/// <summary>
/// What one station did: shares of time working, down, starved and blocked; parts processed and good; OEE as
/// availability × performance × quality; and the mean length of its active periods (working or down, for bottleneck detection).
/// </summary>
public sealed record StationResult(string Name, double Working, double Down, double Starved, double Blocked, long Processed, long Good,
    double Availability, double Performance, double Quality, double MeanActivePeriod)
{
    public double Oee => Availability * Performance * Quality;

    /// <summary>Failures over the whole run (warm-up included).</summary>
    public long Failures { get; init; }

    /// <summary>The share of time in setups.</summary>
    public double Setup { get; init; }

    /// <summary>The share of time in preventive maintenance (waiting for a crew included).</summary>
    public double Maintenance { get; init; }

    /// <summary>The share of time stopped at its thermal limit, cooling down.</summary>
    public double Cooling { get; init; }

    /// <summary>Thermal trips over the whole run (warm-up included).</summary>
    public long Trips { get; init; }

    /// <summary>The share of time the station was busy working.</summary>
    public double Utilization => Working;
}
