namespace Doppel.Packs.Mobility.Simulation;

/// <summary>A finished run: trips of arrived vehicles, the per-step summary, detector intervals, frames, and SUMO's counters.</summary>
public sealed record TrafficResult(IReadOnlyList<TripInfo> Trips, IReadOnlyList<SummaryStep> Summary, IReadOnlyList<DetectorInterval> Detectors,
    IReadOnlyList<TrafficFrame> Frames, int Collisions, int Teleports, long VehicleUpdates, double EndTime, TimeSpan Elapsed)
{
    /// <summary>Lane changes made, by reason.</summary>
    public LaneChangeCounts LaneChanges { get; init; } = LaneChangeCounts.None;
}
