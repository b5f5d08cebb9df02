using Doppel.Packs.Mobility.Simulation;

namespace Doppel.Packs.Mobility.Sumo;

/// <summary>
/// What a SUMO run gave: its trips (from its tripinfo output, empty when not asked for), its statistics, and its
/// timing: <see cref="SimulationTime"/> is SUMO's own measure of its simulation loop (its "Performance: Duration",
/// which excludes loading the network but includes reading the demand as it goes and writing the outputs),
/// <see cref="Wall"/> the whole process. <see cref="VehicleUpdates"/> is SUMO's count of vehicle moves (UPS × duration).
/// </summary>
public sealed record SumoRun(IReadOnlyList<TripInfo> Trips, SumoStatistics Statistics, TimeSpan SimulationTime, TimeSpan Wall, long VehicleUpdates, string OutputFolder)
{
    /// <summary>SUMO's vehicle updates per second of simulation loop (its "UPS").</summary>
    public double UpdatesPerSecond => SimulationTime > TimeSpan.Zero ? VehicleUpdates / SimulationTime.TotalSeconds : double.NaN;

    /// <summary>The tripinfo file, when SUMO wrote one.</summary>
    public string? TripInfoFile { get; init; }

    /// <summary>The summary file, when SUMO wrote one.</summary>
    public string? SummaryFile { get; init; }
}

/// <summary>SUMO's <c>--statistic-output</c>: vehicle counts, teleports, collisions and its trip means.</summary>
public sealed record SumoStatistics(int Loaded, int Inserted, int Running, int Waiting, int Teleports, int Collisions,
    int Trips, double MeanRouteLength, double MeanSpeed, double MeanDuration, double MeanWaitingTime, double MeanTimeLoss, double MeanDepartDelay);
