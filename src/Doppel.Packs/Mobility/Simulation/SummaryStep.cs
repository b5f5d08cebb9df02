namespace Doppel.Packs.Mobility.Simulation;

/// <summary>The network's state after one step with SUMO's <c>summary</c> fields.</summary>
public sealed record SummaryStep(double Time, int Loaded, int Inserted, int Running, int Waiting, int Ended, int Arrived,
    int Collisions, int Teleports, int Halting, double MeanWaitingTime, double MeanTravelTime, double MeanSpeed)
{
    /// <summary>The running vehicles' mean speed over their lanes' limits; -1 when none runs (SUMO's <c>meanSpeedRelative</c>).</summary>
    public double MeanSpeedRelative { get; init; } = -1;
}
