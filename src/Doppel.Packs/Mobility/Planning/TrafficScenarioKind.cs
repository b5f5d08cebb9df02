using System.Globalization;
using Doppel.Packs.Mobility.Live;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Planning.Internal;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Mobility.Planning;

/// <summary>
/// What-ifs on a city's traffic (<c>POST /doppel/scenarios</c> with <c>"kind": "traffic"</c>, or <c>doppel simulate
/// --twin CITY</c>): the city twin's network, with the vehicles its live estimate puts on each road now and the trips
/// its roads' demand prior starts (scaled to the estimated flows), is run <c>run.duration</c> seconds ahead on the
/// traffic simulator, as it is (the baseline) and with each what-if:
/// <c>whatIf: {"close B0C0": {"close": ["B0C0"]}, "green wave": {"signals": {"A0": {"offset": 20, "phases": [...]}}},
/// "concert": {"demand": [{"to": "C0right0", "vehicles": 300, "begin": 0, "end": 900}]},
/// "evacuate B0": {"evacuate": {"junctions": ["B0"], "to": ["C0right0"], "vehicles": 100, "window": 300}}}</c>.
/// Replication r of every scenario draws the same vehicles and the same driver randomness (common random numbers),
/// so the KPIs (travel time, delay, queues, throughput) are compared with the baseline pair by pair, with intervals.
/// <c>"frames": SECONDS</c> adds the first replication's vehicles and road speeds every that many seconds (the map).
/// </summary>
public sealed class TrafficScenarioKind : IScenarioKind
{
    public const string KindName = "traffic";

    private const int MaxFrames = 720;

    public string Name => KindName;

    public string Description => "What-ifs on a city's traffic from its live twin (close a road, change a signal plan, add an event's demand, evacuate a district): travel time, delay, queues and throughput with intervals, compared with the baseline.";

    public string TwinModel => CityTwin.ModelId;

    public IReadOnlyCollection<string> Keys { get; } = ["city", "frames"];

    /// <summary>Half an hour ahead (s), five replications.</summary>
    public RunSettings RunDefaults { get; } = new() { Duration = 1800, Warmup = 0, Replications = 5, Seed = 1 };

    public ResultView View { get; } = new()
    {
        Columns =
        [
            new KpiColumn(TrafficKpis.TravelTime, "travel time (s)"),
            new KpiColumn(TrafficKpis.Delay, "delay (s)"),
            new KpiColumn(TrafficKpis.WaitingTime, "waiting (s)"),
            new KpiColumn(TrafficKpis.Queue, "mean queue (veh)"),
            new KpiColumn(TrafficKpis.LongestQueue, "longest queue (veh)"),
            new KpiColumn(TrafficKpis.Throughput, "throughput (veh/h)"),
            new KpiColumn(TrafficKpis.Unfinished, "unfinished"),
            new KpiColumn(TrafficKpis.ClearanceTime, "clearance (s)"),
            new KpiColumn(TrafficKpis.Evacuated, "% evacuated"),
        ],
        Compared =
        [
            new KpiColumn(TrafficKpis.Delay, "delay (s)"),
            new KpiColumn(TrafficKpis.TravelTime, "travel time (s)"),
            new KpiColumn(TrafficKpis.Queue, "mean queue (veh)"),
            new KpiColumn(TrafficKpis.Throughput, "throughput (veh/h)"),
            new KpiColumn(TrafficKpis.VehicleHours, "vehicle-hours"),
        ],
        Describe = result => result["city"] is { } city ? $"City {city}, forked from {result["start"]} (estimate of {result["estimatedAt"] ?? "none"}), demand scale {result["demandScale"]}." : null,
    };

    public string Usage => $"\"city\": the id of a {CityTwin.ModelId} twin";

    public bool Recognizes(DocumentMap request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request["city"] is DocumentScalar;
    }

    public async Task<Result<ISimulationPlan>> PrepareAsync(ScenarioRequest request, ScenarioContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var document = request.Document;
        var cityId = document.Text("city") ?? request.TwinId ?? throw document.Error($"say which city: {Usage}");
        if (document.Text("city") is not null && request.TwinId is { } twinId && twinId != cityId)
        {
            throw document.Required("twin", "").Error($"names twin '{twinId}' and \"city\" names '{cityId}': give one of them");
        }
        if (!(request.Run.Duration is >= 60 and <= 24 * 3600))
        {
            throw (document["run"] ?? document).Error(string.Create(CultureInfo.InvariantCulture, $"duration is the horizon in seconds, from 60 to 86400; {request.Run.Duration:G} is not"));
        }
        if (request.Run.Replications > 200)
        {
            throw (document["run"] ?? document).Error($"replications are at most 200 for a traffic what-if; {request.Run.Replications} is not");
        }
        double? frames = null;
        if (document["frames"] is { } framesNode)
        {
            frames = framesNode.ExpectScalar("the seconds between map frames").Number();
            if (!(frames >= 1) || request.Run.Duration / frames > MaxFrames)
            {
                throw framesNode.Error(string.Create(CultureInfo.InvariantCulture, $"must be at least 1 s and leave at most {MaxFrames} frames in the horizon ({Math.Ceiling(request.Run.Duration / MaxFrames):G} s or more)"));
            }
        }
        var state = await CityState.ReadAsync(context, cityId, request.Start, ct);
        if (!state.IsSuccess)
        {
            return Result<ISimulationPlan>.Fail(state.Error!);
        }
        var network = CityNetworks.Load(state.Value!.NetFile);
        if (!network.IsSuccess)
        {
            return Result<ISimulationPlan>.Fail(network.Error!);
        }
        var graph = new RoadGraph(network.Value!);
        var whatIfs = ReadWhatIfs(document["whatIf"], graph);
        var fork = new TrafficFork(graph, state.Value, whatIfs, request.Run, request.Start, frames, View);
        return Result<ISimulationPlan>.Ok(fork);
    }

    /// <summary>The request's what-ifs, checked against the network (edges by SUMO id or road twin id, signals by SUMO id).</summary>
    internal static List<TrafficWhatIf> ReadWhatIfs(DocumentNode? node, RoadGraph graph)
    {
        var whatIfs = new List<TrafficWhatIf>();
        if (node is null)
        {
            return whatIfs;
        }
        var map = node.ExpectMap("a mapping from each what-if's name to its changes: {close, signals, demand, evacuate}");
        var byTwinId = graph.Edges.ToDictionary(e => CityTwin.RoadId(e.Id), e => e.Id, StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            if (key.Text == ExperimentJson.Baseline)
            {
                throw key.Error($"'{ExperimentJson.Baseline}' is the scenario without changes; name the what-if otherwise");
            }
            var changes = value.ExpectMap("the what-if's changes: {close, signals, demand, evacuate}").Allow("close", "signals", "demand", "evacuate");
            var close = Edges(changes.List("close", "a list of road (edge) ids"), graph, byTwinId);
            var signals = ReadSignals(changes.Map("signals", "a mapping from each traffic light's id to its program: {offset, phases}"), graph.Network);
            var demand = new List<AddedDemand>();
            foreach (var item in changes.List("demand", "a list of added trips: {from, to, vehicles, begin, end}")?.Items ?? [])
            {
                demand.Add(ReadDemand(item.ExpectMap("added trips: {from, to, vehicles, begin, end}"), graph, byTwinId));
            }
            EvacuationOrder? evacuate = null;
            if (changes.Map("evacuate", "an evacuation: {junctions, to, vehicles, window, begin}") is { } order)
            {
                order.Allow("junctions", "to", "vehicles", "window", "begin");
                var junctions = order.Required("junctions", "the district's junction ids").ExpectList("a list of junction ids").Items.Select(i => i.ExpectScalar("a junction id").Text).ToList();
                var to = Edges(order.Required("to", "the safe destinations' road ids").ExpectList("a list of road ids"), graph, byTwinId);
                evacuate = new EvacuationOrder(junctions, to)
                {
                    Vehicles = order.Integer("vehicles") ?? 200,
                    Window = order.Number("window") ?? 600,
                    Begin = order.Number("begin") ?? 0,
                    Closed = close,
                };
                if (Evacuation.Check(graph.Network, graph, evacuate) is { } problem)
                {
                    throw order.Error(problem);
                }
                // Whether the destinations can be reached around the closures does not depend on the draw: find out now,
                // so that such an order is a bad request rather than a failed run.
                if (Evacuation.Demand(graph.Network, evacuate, seed: 0) is { Error: { } unreachable })
                {
                    throw order.Error(unreachable.Message);
                }
            }
            if (close.Count == 0 && signals.Count == 0 && demand.Count == 0 && evacuate is null)
            {
                throw changes.Error("changes nothing: give close, signals, demand or evacuate");
            }
            whatIfs.Add(new TrafficWhatIf(key.Text) { Close = close, Signals = signals, Demand = demand, Evacuate = evacuate });
        }
        return whatIfs;
    }

    private static List<string> Edges(DocumentList? list, RoadGraph graph, Dictionary<string, string> byTwinId)
    {
        var edges = new List<string>();
        foreach (var item in list?.Items ?? [])
        {
            edges.Add(Edge(item.ExpectScalar("a road (edge) id"), graph, byTwinId));
        }
        return edges;
    }

    private static string Edge(DocumentScalar scalar, RoadGraph graph, Dictionary<string, string> byTwinId) =>
        graph.Contains(scalar.Text) ? scalar.Text
        : byTwinId.TryGetValue(scalar.Text, out var edge) ? edge
        : throw scalar.Error($"the network has no road '{scalar.Text}' (a SUMO edge id or a road twin id of a road cars drive)");

    private static AddedDemand ReadDemand(DocumentMap map, RoadGraph graph, Dictionary<string, string> byTwinId)
    {
        map.Allow("from", "to", "vehicles", "begin", "end");
        var from = map["from"] is { } f ? Edge(f.ExpectScalar("a road id"), graph, byTwinId) : null;
        var to = map["to"] is { } t ? Edge(t.ExpectScalar("a road id"), graph, byTwinId) : null;
        if (from is null && to is null)
        {
            throw map.Error("give where the trips start ('from'), end ('to') or both");
        }
        var vehicles = map.Integer("vehicles") ?? throw map.Error("'vehicles' (how many trips) is required");
        if (vehicles is < 1 or > 100_000)
        {
            throw map.Required("vehicles", "").Error("must be 1 to 100000");
        }
        var begin = map.Number("begin") ?? 0;
        var end = map.Number("end") ?? begin + 900;
        if (!(begin >= 0 && end >= begin && double.IsFinite(end)))
        {
            throw map.Error("needs 0 <= begin <= end (seconds from the start)");
        }
        if (from is not null && to is not null && graph.Route(from, new HashSet<string>([to], StringComparer.Ordinal), new HashSet<string>()) is null)
        {
            throw map.Error($"no route leads from '{from}' to '{to}'");
        }
        return new AddedDemand(from, to, vehicles, begin, end);
    }

    private static List<SignalProgram> ReadSignals(DocumentMap? map, RoadNetwork network)
    {
        var programs = new List<SignalProgram>();
        foreach (var (key, value) in map?.Entries ?? [])
        {
            var current = network.SignalPrograms.LastOrDefault(p => p.Id == key.Text) ?? throw key.Error($"the network has no traffic light '{key.Text}'");
            var plan = value.ExpectMap("a program: {offset, phases: [{duration, state}], programId}").Allow("offset", "phases", "programId");
            var phases = new List<SignalPhase>();
            foreach (var item in plan.Required("phases", "a list of {duration, state}").ExpectList("a list of {duration, state}").Items)
            {
                var phase = item.ExpectMap("a phase: {duration, state}").Allow("duration", "state");
                var duration = phase.Number("duration") ?? throw phase.Error("'duration' (s) is required");
                var signalState = phase.Text("state") ?? throw phase.Error("'state' (one character per link, SUMO's) is required");
                if (!(duration > 0 && double.IsFinite(duration)))
                {
                    throw phase.Required("duration", "").Error("must be more than 0 s");
                }
                var links = current.Phases.Count > 0 ? current.Phases[0].State.Length : signalState.Length;
                if (signalState.Length != links || signalState.Any(c => "GgyYrRsuoO".IndexOf(c, StringComparison.Ordinal) < 0))
                {
                    throw phase.Required("state", "").Error($"must be {links} characters of G g y r s u o O (one per link of '{key.Text}'), not '{signalState}'");
                }
                phases.Add(new SignalPhase(duration, signalState));
            }
            if (phases.Count == 0)
            {
                throw plan.Error("a program needs at least one phase");
            }
            var offset = plan.Number("offset") ?? 0;
            programs.Add(new SignalProgram(key.Text, "static", plan.Text("programId") ?? "whatif", offset, phases));
        }
        return programs;
    }
}
