using System.Globalization;
using Doppel.Packs.Mobility.Demand;
using Doppel.Simulation;

namespace Doppel.Packs.Mobility.Planning.Internal;

/// <summary>A vehicle already on the road when a fork starts: where it is and how fast it drives.</summary>
internal readonly record struct PlacedVehicle(VehicleDemand Vehicle, string Lane, double Position, double Speed);

/// <summary>
/// The city's traffic drawn from its live twin, for one replication: the vehicles on each road now (the estimated
/// density; on a road slower than free flow, the share the speed says standing in a queue at its downstream end, the
/// rest driving upstream of it, see <see cref="LaneState"/>) and the trips to come (each road's departures, Poisson, scaled so that the flows
/// the turning fractions carry them into match the estimated flows); every vehicle's route follows the roads' turning
/// fractions, ending where a road's fractions leave it (the link-flow model the live follower estimates with).
/// </summary>
internal sealed class LiveDemand
{
    private const int MaxRouteEdges = 60;
    private readonly RoadGraph _graph;
    private readonly CityState _state;
    private readonly Dictionary<string, (string Next, double Cumulative)[]> _turns = new(StringComparer.Ordinal);

    public LiveDemand(RoadGraph graph, CityState state)
    {
        _graph = graph;
        _state = state;
        foreach (var road in state.Roads.Values)
        {
            var cumulative = 0.0;
            var list = new List<(string, double)>();
            foreach (var next in graph.NextWithTurnarounds(road.Edge))
            {
                if (road.Turns.TryGetValue(next, out var fraction))
                {
                    cumulative = Math.Min(1, cumulative + fraction);
                    list.Add((next, cumulative));
                }
            }
            _turns[road.Edge] = [.. list];
        }
        Scale = DemandScale();
    }

    /// <summary>The factor on the roads' departures that makes the model's flows add up to the estimated ones (1 without an estimate).</summary>
    public double Scale { get; }

    /// <summary>Vehicles on the road now and trips departing within <paramref name="horizon"/> seconds, drawn with <paramref name="seed"/>.</summary>
    public (List<PlacedVehicle> OnRoad, List<VehicleDemand> Trips) Draw(ulong seed, double horizon)
    {
        var random = new SimRandom(seed);
        var onRoad = new List<PlacedVehicle>();
        var trips = new List<VehicleDemand>();
        foreach (var edge in _graph.Edges)
        {
            if (!_state.Roads.TryGetValue(edge.Id, out var road))
            {
                continue;
            }
            if (Density(road, edge.Lanes.Count) is > 0 and var density)
            {
                foreach (var lane in edge.Lanes)
                {
                    var (queued, moving) = LaneState.Expected(density, road.MeanSpeed, lane.Speed, lane.Length);
                    var count = Round(queued + moving, random);
                    var standing = Math.Min(count, Round(queued, random));
                    foreach (var place in LaneState.Place(standing, count - standing, lane.Speed, lane.Length))
                    {
                        var id = string.Create(CultureInfo.InvariantCulture, $"live{onRoad.Count}");
                        var vehicle = new VehicleDemand(id, TrafficDemand.DefaultTypeId, 0, Walk(edge.Id, random));
                        onRoad.Add(new PlacedVehicle(vehicle, lane.Id, place.Position, place.Speed));
                    }
                }
            }
            var rate = Scale * road.Departures / 3600;
            if (rate > 0)
            {
                for (var t = random.Exponential(1 / rate); t < horizon; t += random.Exponential(1 / rate))
                {
                    trips.Add(new VehicleDemand("", TrafficDemand.DefaultTypeId, Math.Round(t, 2), Walk(edge.Id, random)));
                }
            }
        }
        trips.Sort((a, b) => a.Depart.CompareTo(b.Depart));
        return (onRoad, [.. trips.Select((t, i) => t with { Id = string.Create(CultureInfo.InvariantCulture, $"trip{i}") })]);
    }

    /// <summary>
    /// Vehicles per km and lane on a road: the follower's density (its flow over its speed), else the flow over the speed
    /// when the twin holds both; none without an estimate.
    /// </summary>
    private static double? Density(RoadState road, int lanes) =>
        road.Density ?? (road.Flow is { } flow && road.MeanSpeed is > 0 and var speed && lanes > 0 ? flow / lanes / (speed * 3.6) : null);

    /// <summary><paramref name="expected"/> rounded up with the probability of its fraction, down otherwise: the mean is kept.</summary>
    private static int Round(double expected, SimRandom random) =>
        (int)Math.Floor(expected) + (random.NextDouble() < expected - Math.Floor(expected) ? 1 : 0);

    /// <summary>A route from <paramref name="edge"/> that turns as the roads' fractions say, until one ends the trip.</summary>
    internal List<string> Walk(string edge, SimRandom random)
    {
        var route = new List<string> { edge };
        while (route.Count < MaxRouteEdges && _turns.TryGetValue(route[^1], out var turns) && turns.Length > 0)
        {
            var u = random.NextDouble();
            var next = Array.FindIndex(turns, t => u < t.Cumulative);
            if (next < 0)
            {
                break;
            }
            route.Add(turns[next].Next);
        }
        return route;
    }

    // Flows the departures make through the turning fractions (f = d + Tᵀf, iterated), against the estimated flows.
    private double DemandScale()
    {
        var estimated = _state.Roads.Values.Where(r => r.Flow is not null).ToList();
        if (estimated.Count == 0)
        {
            return 1;
        }
        var flow = _state.Roads.Values.ToDictionary(r => r.Edge, r => r.Departures, StringComparer.Ordinal);
        for (var iteration = 0; iteration < 500; iteration++)
        {
            var next = _state.Roads.Values.ToDictionary(r => r.Edge, r => r.Departures, StringComparer.Ordinal);
            foreach (var (edge, turns) in _turns)
            {
                var previous = 0.0;
                foreach (var (to, cumulative) in turns)
                {
                    if (next.ContainsKey(to))
                    {
                        next[to] += flow[edge] * (cumulative - previous);
                    }
                    previous = cumulative;
                }
            }
            var change = next.Sum(kv => Math.Abs(kv.Value - flow[kv.Key]));
            flow = next;
            if (change < 1e-6)
            {
                break;
            }
        }
        var model = estimated.Sum(r => flow[r.Edge]);
        var observed = estimated.Sum(r => r.Flow!.Value);
        return model > 0 && double.IsFinite(model) ? observed / model : 1;
    }
}
