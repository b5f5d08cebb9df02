using System.Globalization;
using System.Text.Json.Nodes;

namespace Doppel.Packs.Mobility.Simulation;

/// <summary>A run's figures as SUMO's <c>--duration-log.statistics</c> prints them: vehicles, teleports, collisions, and the trips' means.</summary>
public sealed record TrafficStatistics(int Loaded, int Arrived, int Teleports, int Collisions, double EndTime, double RouteLength, double Speed,
    double Duration, double WaitingTime, double TimeLoss, double DepartDelay, long VehicleUpdates, TimeSpan Elapsed)
{
    /// <summary>Vehicle updates per second of wall time (SUMO's UPS).</summary>
    /// <summary>Lane changes made, by reason.</summary>
    public LaneChangeCounts LaneChanges { get; init; } = LaneChangeCounts.None;

    public double UpdatesPerSecond => Elapsed.TotalSeconds > 0 ? VehicleUpdates / Elapsed.TotalSeconds : 0;

    public static TrafficStatistics From(TrafficResult result, int loaded)
    {
        ArgumentNullException.ThrowIfNull(result);
        var trips = result.Trips;
        double Mean(Func<TripInfo, double> f) => trips.Count > 0 ? trips.Average(f) : 0;
        return new TrafficStatistics(loaded, trips.Count, result.Teleports, result.Collisions, result.EndTime, Mean(t => t.RouteLength),
            Mean(t => t.Duration > 0 ? t.RouteLength / t.Duration : 0), Mean(t => t.Duration), Mean(t => t.WaitingTime), Mean(t => t.TimeLoss),
            Mean(t => t.DepartDelay), result.VehicleUpdates, result.Elapsed)
        {
            LaneChanges = result.LaneChanges,
        };
    }

    public void Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var c = CultureInfo.InvariantCulture;
        writer.WriteLine(string.Create(c, $"Vehicles: loaded {Loaded}, arrived {Arrived}, teleports {Teleports}, collisions {Collisions}; last step {EndTime:0.##} s"));
        writer.WriteLine("Statistics (avg of arrived vehicles):");
        writer.WriteLine(string.Create(c, $" RouteLength: {RouteLength:0.00}"));
        writer.WriteLine(string.Create(c, $" Speed: {Speed:0.00}"));
        writer.WriteLine(string.Create(c, $" Duration: {Duration:0.00}"));
        writer.WriteLine(string.Create(c, $" WaitingTime: {WaitingTime:0.00}"));
        writer.WriteLine(string.Create(c, $" TimeLoss: {TimeLoss:0.00}"));
        writer.WriteLine(string.Create(c, $" DepartDelay: {DepartDelay:0.00}"));
        writer.WriteLine(string.Create(c, $"Lane changes: {LaneChanges.Total} (strategic {LaneChanges.Strategic}, speed gain {LaneChanges.SpeedGain}, keep right {LaneChanges.KeepRight})"));
        writer.WriteLine(string.Create(c, $"Performance: {VehicleUpdates} vehicle updates in {Elapsed.TotalSeconds:0.000} s ({UpdatesPerSecond:0} UPS)"));
    }

    public JsonObject ToJson() => new()
    {
        ["loaded"] = Loaded,
        ["arrived"] = Arrived,
        ["teleports"] = Teleports,
        ["collisions"] = Collisions,
        ["endTime"] = EndTime,
        ["routeLength"] = RouteLength,
        ["speed"] = Speed,
        ["duration"] = Duration,
        ["waitingTime"] = WaitingTime,
        ["timeLoss"] = TimeLoss,
        ["departDelay"] = DepartDelay,
        ["vehicleUpdates"] = VehicleUpdates,
        ["elapsedSeconds"] = Elapsed.TotalSeconds,
        ["updatesPerSecond"] = UpdatesPerSecond,
        ["laneChanges"] = new JsonObject
        {
            ["total"] = LaneChanges.Total,
            ["strategic"] = LaneChanges.Strategic,
            ["speedGain"] = LaneChanges.SpeedGain,
            ["keepRight"] = LaneChanges.KeepRight,
        },
    };
}
