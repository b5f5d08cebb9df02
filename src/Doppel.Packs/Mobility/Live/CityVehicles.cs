using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Simulation;

namespace Doppel.Packs.Mobility.Live;

/// <summary>
/// The vehicles of a replayed day, for the live map: a network and its day of trips simulated by the pack's simulator
/// alongside the detector replay, and published as the city twin's <see cref="CityTwin.Vehicles"/> telemetry (every
/// vehicle's id, position in the network's metres, heading and speed at a moment of the day). For the city sample these
/// are the same network and trips whose SUMO run the detectors recorded, so the vehicles drive the day the counts
/// measured (Doppel's run of it: SUMO's own positions are not shipped).
/// </summary>
public sealed class CityVehicles
{
    private readonly RoadNetwork network;
    private readonly TrafficDemand demand;
    private readonly ulong seed;
    private TrafficSimulation simulation;
    private double asked = double.NegativeInfinity;

    private CityVehicles(RoadNetwork network, TrafficDemand demand, ulong seed, TrafficSimulation simulation)
    {
        this.network = network;
        this.demand = demand;
        this.seed = seed;
        this.simulation = simulation;
    }

    /// <summary>A day of <paramref name="demand"/> on <paramref name="network"/>, its drivers drawn from <paramref name="seed"/>.</summary>
    public static Result<CityVehicles> Create(RoadNetwork network, TrafficDemand demand, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(demand);
        var simulation = Start(network, demand, seed);
        return simulation.IsSuccess ? Result<CityVehicles>.Ok(new CityVehicles(network, demand, seed, simulation.Value)) : Result<CityVehicles>.Fail(simulation.Error);
    }

    /// <summary>The city sample's day: its network and trips as the pack carries them (what <c>doppel traffic run</c> runs without files).</summary>
    public static Result<CityVehicles> Sample(ulong seed)
    {
        Result<RoadNetwork> network;
        using (var xml = MobilityPack.Resource("city.net.xml"))
        {
            network = SumoNetworkReader.Read(xml, "the city sample's city.net.xml");
        }
        if (!network.IsSuccess)
        {
            return Result<CityVehicles>.Fail(network.Error);
        }
        using var trips = MobilityPack.Resource("city.trips.xml");
        var demand = SumoDemandReader.Read(network.Value, trips, "the city sample's city.trips.xml", seed);
        return demand.IsSuccess ? Create(network.Value, demand.Value, seed) : Result<CityVehicles>.Fail(demand.Error);
    }

    /// <summary>
    /// The vehicles on the road at <paramref name="second"/> of the day (the frame the simulator labels so). The day runs forward;
    /// a moment before the last one asked starts it again (the replay's next day).
    /// </summary>
    public TrafficFrame At(double second)
    {
        if (second < asked)
        {
            simulation = Start(network, demand, seed).Value!;
        }
        asked = second;
        // A frame is labelled with the simulator's clock after its step, as the run's own frames are.
        while (simulation.Time < second - 1e-9)
        {
            simulation.Step();
        }
        return simulation.Frame();
    }

    /// <summary>Publishes the vehicles at <paramref name="second"/> of the day that starts at <paramref name="day"/> as telemetry of the city twin.</summary>
    public Task PublishAsync(IDeviceLink link, string cityId, DateTimeOffset day, double second, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(link);
        var time = day.AddSeconds(second);
        var payload = Telemetry(At(second));
        payload["$sourceTime"] = time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        payload["$messageId"] = $"{cityId}-vehicles-{time.UtcTicks}";
        return link.PublishAsync(cityId, DeviceMessageKind.Telemetry, payload, ct);
    }

    /// <summary>
    /// A frame as the city model's <see cref="CityTwin.Vehicles"/> telemetry: <c>{"vehicles": [{"id", "x", "y", "angle",
    /// "speed"}, ...]}</c>, positions to 0.1 m, angles to the degree, speeds to 0.01 m/s (what the map draws, no more).
    /// </summary>
    public static JsonObject Telemetry(TrafficFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var vehicles = new JsonArray();
        foreach (var v in frame.Vehicles)
        {
            vehicles.Add(new JsonObject
            {
                ["id"] = v.Id,
                ["x"] = Math.Round(v.X, 1),
                ["y"] = Math.Round(v.Y, 1),
                ["angle"] = Math.Round(v.Angle),
                ["speed"] = Math.Round(v.Speed, 2),
            });
        }
        return new JsonObject { [CityTwin.Vehicles] = vehicles };
    }

    private static Result<TrafficSimulation> Start(RoadNetwork network, TrafficDemand demand, ulong seed) =>
        TrafficSimulation.Create(network, demand, new TrafficOptions { Seed = seed });
}
