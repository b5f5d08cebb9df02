using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Simulation;
using Doppel.Simulation;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Mobility.Planning.Internal;

/// <summary>
/// A city forked from its live state with what-ifs: replications of the baseline and of each what-if on the traffic
/// simulator, replication r of every scenario with the same vehicles, routes and driver randomness.
/// </summary>
internal sealed class TrafficFork(RoadGraph graph, CityState state, List<TrafficWhatIf> whatIfs, RunSettings run, ScenarioStart start, double? framePeriod, ResultView view) : ISimulationPlan
{
    // The longest queue is read from snapshots this often when no map frames are asked for.
    private const double QueuePeriod = 10;

    private readonly LiveDemand _live = new(graph, state);

    public RunSettings Run => run;

    public int Total => (whatIfs.Count + 1) * run.Replications;

    public JsonObject Execute(IProgress<ExperimentProgress>? progress, CancellationToken ct)
    {
        var scenarios = new List<Scenario> { new(ExperimentJson.Baseline) };
        scenarios.AddRange(whatIfs.Select(w => new Scenario(w.Name)));
        var frames = new ConcurrentDictionary<int, IReadOnlyList<TrafficFrame>>();
        var runner = new ExperimentRunner(new ExperimentOptions { Seed = run.Seed, Replications = run.Replications });
        var result = runner.Run(scenarios, (context, token) =>
        {
            var whatIf = context.ScenarioIndex == 0 ? null : whatIfs[context.ScenarioIndex - 1];
            var outcome = Replicate(whatIf, context, token);
            if (context.Index == 0 && framePeriod is not null)
            {
                frames[context.ScenarioIndex] = outcome.Frames;
            }
            return outcome.Kpis;
        }, progress, ct);
        var json = ExperimentJson.Write(result, view);
        if (framePeriod is not null)
        {
            var entries = json["scenarios"]!.AsArray();
            for (var s = 0; s < entries.Count; s++)
            {
                entries[s]!["frames"] = Frames(frames.GetValueOrDefault(s) ?? []);
            }
        }
        json["city"] = state.CityId;
        json["start"] = start.ToString();
        json["estimatedAt"] = state.EstimatedAt;
        json["demandScale"] = Math.Round(_live.Scale, 4);
        return json;
    }

    private (Dictionary<string, double> Kpis, IReadOnlyList<TrafficFrame> Frames) Replicate(TrafficWhatIf? whatIf, ReplicationContext context, CancellationToken ct)
    {
        // Streams: 0 the drivers, 1 the live traffic, 2 added trips, 3 evacuees; the same for every scenario.
        var (onRoad, trips) = _live.Draw(context.Stream(1), run.Duration);
        var vehicles = new List<VehicleDemand>(trips);
        var closed = new HashSet<string>(whatIf?.Close ?? [], StringComparer.Ordinal);
        if (whatIf is not null)
        {
            vehicles.AddRange(Added(whatIf.Demand, closed, context.Stream(2)));
        }
        var evacuees = 0;
        if (whatIf?.Evacuate is { } order)
        {
            var evacuation = Evacuation.Demand(graph.Network, order, context.Stream(3));
            if (!evacuation.IsSuccess)
            {
                throw new InvalidOperationException(evacuation.Error!.Message);
            }
            evacuees = evacuation.Value!.Demand.Vehicles.Count;
            vehicles.AddRange(evacuation.Value.Demand.Vehicles);
        }
        // A closed road starts no trips: its traffic is what was on it when it closed, and that leaves. A trip bound for
        // a closed road ends before it (the simulator reroutes around a closed road, but cannot reach one).
        vehicles.RemoveAll(v => closed.Contains(v.Route[0]));
        for (var i = 0; i < vehicles.Count; i++)
        {
            vehicles[i] = EndBeforeClosed(vehicles[i], closed);
        }
        for (var i = 0; i < onRoad.Count; i++)
        {
            onRoad[i] = onRoad[i] with { Vehicle = EndBeforeClosed(onRoad[i].Vehicle, closed) };
        }
        vehicles.Sort((a, b) => a.Depart.CompareTo(b.Depart));
        var types = new Dictionary<string, VehicleType> { [TrafficDemand.DefaultTypeId] = new(TrafficDemand.DefaultTypeId) };
        var simulation = new TrafficSimulation(graph.Network, new TrafficDemand(types, vehicles), new TrafficOptions
        {
            Seed = context.Stream(0),
            End = run.Duration,
            FramePeriod = framePeriod ?? QueuePeriod,
        });
        foreach (var placed in onRoad)
        {
            simulation.Insert(placed.Vehicle, placed.Lane, placed.Position, placed.Speed);
        }
        foreach (var edge in closed)
        {
            simulation.CloseEdge(edge);
        }
        foreach (var program in whatIf?.Signals ?? [])
        {
            simulation.SetSignalProgram(program);
        }
        var result = simulation.Run(ct);
        var kpis = TrafficKpis.Measure(result, run.Warmup, run.Duration);
        var clearance = whatIf?.Evacuate is { } evacuate ? Evacuation.Measure(result.Trips.Select(t => (t.Id, t.Arrival)), evacuate, evacuees) : null;
        kpis[TrafficKpis.ClearanceTime] = clearance?.Time ?? double.NaN;
        kpis[TrafficKpis.Evacuated] = clearance is null ? double.NaN : 100 * clearance.Evacuated;
        return (kpis, result.Frames);
    }

    private static VehicleDemand EndBeforeClosed(VehicleDemand vehicle, HashSet<string> closed)
    {
        if (closed.Count == 0 || !closed.Contains(vehicle.Route[^1]))
        {
            return vehicle;
        }
        // A vehicle on a closed road when it closed finishes its trip there; any other stops before the first closed road.
        var first = 1;
        while (first < vehicle.Route.Count && !closed.Contains(vehicle.Route[first]))
        {
            first++;
        }
        return first == vehicle.Route.Count ? vehicle : vehicle with { Route = [.. vehicle.Route.Take(first)] };
    }

    /// <summary>The what-if's extra trips: the ends not given drawn among the roads by length, routed around the closures.</summary>
    private List<VehicleDemand> Added(IReadOnlyList<AddedDemand> demand, HashSet<string> closed, ulong seed)
    {
        var random = new SimRandom(seed);
        var open = graph.Edges.Where(e => !closed.Contains(e.Id)).ToList();
        var lengths = open.Select(e => e.Lanes[0].Length).ToArray();
        var total = lengths.Sum();
        var trips = new List<VehicleDemand>();
        foreach (var (added, index) in demand.Select((d, i) => (d, i)))
        {
            for (var v = 0; v < added.Vehicles; v++)
            {
                var depart = Math.Round(random.Uniform(added.Begin, added.End), 2);
                // An end drawn where no route leads is drawn again; after a few misses the trip is given up.
                for (var attempt = 0; attempt < 20; attempt++)
                {
                    var from = added.From ?? Draw(open, lengths, total, random);
                    var to = added.To ?? Draw(open, lengths, total, random);
                    if (from == to && (added.From is null || added.To is null))
                    {
                        continue;
                    }
                    if (graph.Route(from, new HashSet<string>([to], StringComparer.Ordinal), closed) is { } route)
                    {
                        trips.Add(new VehicleDemand(FormattableString.Invariant($"added{index}.{v}"), TrafficDemand.DefaultTypeId, depart, route));
                        break;
                    }
                }
            }
        }
        return trips;
    }

    private static string Draw(List<Network.Edge> edges, double[] lengths, double total, SimRandom random)
    {
        var u = random.NextDouble() * total;
        for (var i = 0; i < edges.Count - 1; i++)
        {
            if (u < lengths[i])
            {
                return edges[i].Id;
            }
            u -= lengths[i];
        }
        return edges[^1].Id;
    }

    private static JsonArray Frames(IReadOnlyList<TrafficFrame> frames) => new([.. frames.Select(f => (JsonNode)new JsonObject
    {
        ["time"] = f.Time,
        ["vehicles"] = new JsonArray([.. f.Vehicles.Select(v => (JsonNode)new JsonObject
        {
            ["id"] = v.Id,
            ["lane"] = v.Lane,
            ["x"] = Math.Round(v.X, 2),
            ["y"] = Math.Round(v.Y, 2),
            ["angle"] = Math.Round(v.Angle, 1),
            ["speed"] = Math.Round(v.Speed, 2),
        })]),
        ["edges"] = new JsonArray([.. f.Edges.Select(e => (JsonNode)new JsonObject
        {
            ["edge"] = e.Edge,
            ["vehicles"] = e.Vehicles,
            ["meanSpeed"] = Math.Round(e.MeanSpeed, 2),
            ["halting"] = e.Halting,
        })]),
    })]);
}
