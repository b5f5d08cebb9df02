using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Network;

namespace Doppel.Packs.Mobility.Live;

/// <summary>
/// A SUMO network and its detectors as twins (<see cref="CityTwin"/>): the city, a road per normal edge, an
/// intersection per junction (internal ones left out), a signal per traffic light, a detector per induction loop, and
/// their relationships. Each road's <c>turns</c> and <c>departures</c> come from a survey of routes when one is given
/// (the share of the vehicles driving it that turn into each next road; trips starting on it per hour), else from the
/// network alone (its connections shared evenly, a fifth of the vehicles ending their trips on each road, 100 veh/h starting).
/// </summary>
public sealed record CityTwins(IReadOnlyList<JsonObject> Twins, IReadOnlyList<JsonObject> Relationships)
{
    /// <summary>Without a survey: the share of a road's vehicles that end their trips on it (trips of five roads).</summary>
    public const double DefaultArrivalShare = 0.2;

    /// <summary>Without a survey: trips starting on each road (veh/h).</summary>
    public const double DefaultDepartures = 100;

    /// <summary>Builds the twins; an error names the detector or route that does not fit the network.</summary>
    /// <param name="city">The city twin's id and name.</param>
    /// <param name="netFile">The network file's name, kept on the city twin.</param>
    /// <param name="network">The network.</param>
    /// <param name="detectors">Its induction loops.</param>
    /// <param name="survey">Routes driven on a typical day, for the turning fractions and departures (null: from the network alone).</param>
    /// <param name="programs">Signal programs that replace the network's of the same signal (an additional file's tlLogic).</param>
    public static Result<CityTwins> Build(string city, string netFile, RoadNetwork network, IReadOnlyList<InductionLoop> detectors, TrafficDemand? survey, IReadOnlyList<SignalProgram>? programs = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(detectors);
        if (string.IsNullOrWhiteSpace(city) || CityTwin.Sanitise(city) != city)
        {
            return Result<CityTwins>.Fail("InvalidArgument", $"The city's name '{city}' becomes its twin id: use letters, digits, '_', '.' and '-'.");
        }
        var roads = network.Edges.Where(e => e.Function == EdgeFunction.Normal).ToList();
        if (roads.Count == 0)
        {
            return Result<CityTwins>.Fail("InvalidArgument", $"{netFile}: the network has no normal edges, so no roads.");
        }
        var roadOfLane = roads.SelectMany(e => e.Lanes.Select(l => (Lane: l.Id, Edge: e))).ToDictionary(p => p.Lane, p => p.Edge, StringComparer.Ordinal);
        var flows = survey is null ? FromNetwork(network, roads) : FromSurvey(roads, survey);
        if (!flows.IsSuccess)
        {
            return Result<CityTwins>.Fail(flows.Error!);
        }
        var twins = new List<JsonObject>();
        var relationships = new List<JsonObject>();
        twins.Add(Twin(city, CityTwin.ModelId, new JsonObject { [CityTwin.Name] = city, [CityTwin.NetFile] = Path.GetFileName(netFile) }));
        foreach (var junction in network.Junctions.Where(j => j.Type != "internal"))
        {
            var id = CityTwin.IntersectionId(junction.Id);
            twins.Add(Twin(id, CityTwin.IntersectionModelId, new JsonObject
            {
                [CityTwin.Junction] = junction.Id,
                [CityTwin.JunctionType] = junction.Type,
                [CityTwin.X] = Math.Round(junction.Position.X, 2),
                [CityTwin.Y] = Math.Round(junction.Position.Y, 2),
            }));
            relationships.Add(Relationship(city, CityTwin.Contains, id));
        }
        var (turns, departures) = flows.Value!;
        foreach (var edge in roads)
        {
            var id = CityTwin.RoadId(edge.Id);
            var properties = new JsonObject
            {
                [CityTwin.Edge] = edge.Id,
                [CityTwin.From] = edge.From,
                [CityTwin.To] = edge.To,
                [CityTwin.Lanes] = edge.Lanes.Count,
                [CityTwin.Length] = Math.Round(edge.Lanes.Average(l => l.Length), 2),
                [CityTwin.SpeedLimit] = Math.Round(edge.Lanes.Max(l => l.Speed), 2),
                [CityTwin.Priority] = edge.Priority,
                [CityTwin.Shape] = Shape(edge),
                [CityTwin.Turns] = new JsonObject(turns[edge.Id].OrderBy(t => t.Key, StringComparer.Ordinal)
                    .Select(t => KeyValuePair.Create(CityTwin.RoadId(t.Key), (JsonNode?)Math.Round(t.Value, 4)))),
                [CityTwin.Departures] = Math.Round(departures[edge.Id], 3),
            };
            if (edge.Name is { } name)
            {
                properties[CityTwin.Name] = name;
            }
            twins.Add(Twin(id, CityTwin.RoadModelId, properties));
            relationships.Add(Relationship(city, CityTwin.Contains, id));
            if (edge.From is { } from && network.FindJunction(from) is not null)
            {
                relationships.Add(Relationship(id, CityTwin.StartsAt, CityTwin.IntersectionId(from)));
            }
            if (edge.To is { } to && network.FindJunction(to) is not null)
            {
                relationships.Add(Relationship(id, CityTwin.LeadsTo, CityTwin.IntersectionId(to)));
            }
        }
        var replaced = (programs ?? []).GroupBy(p => p.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        foreach (var signal in network.SignalPrograms.GroupBy(p => p.Id))
        {
            var program = replaced.GetValueOrDefault(signal.Key) ?? signal.First();
            var id = CityTwin.SignalId(program.Id);
            twins.Add(Twin(id, CityTwin.SignalModelId, new JsonObject
            {
                [CityTwin.Signal] = program.Id,
                [CityTwin.ProgramId] = program.ProgramId,
                [CityTwin.Program] = ProgramXml(program),
                [CityTwin.CycleTime] = program.CycleTime,
                [CityTwin.State] = program.Phases.Count > 0 ? program.Phases[0].State : "",
                [CityTwin.Phase] = 0,
            }));
            relationships.Add(Relationship(city, CityTwin.Contains, id));
            var controlled = network.Connections.Where(c => c.TrafficLight == program.Id).Select(c => network.FindEdge(c.From)?.To).OfType<string>()
                .Where(j => network.FindJunction(j) is not null).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            foreach (var junction in controlled)
            {
                relationships.Add(Relationship(id, CityTwin.Controls, CityTwin.IntersectionId(junction)));
            }
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var detector in detectors)
        {
            if (!seen.Add(CityTwin.DetectorId(detector.Id)))
            {
                return Result<CityTwins>.Fail("InvalidArgument", $"Detector '{detector.Id}' is given twice (or two detectors' ids become one twin id).");
            }
            if (!roadOfLane.TryGetValue(detector.Lane, out var edge))
            {
                return Result<CityTwins>.Fail("InvalidArgument", network.FindLane(detector.Lane) is null
                    ? $"Detector '{detector.Id}' lies on lane '{detector.Lane}', which is not in {netFile}."
                    : $"Detector '{detector.Id}' lies on '{detector.Lane}', a lane inside a junction; a detector that counts a road lies on one of its lanes.");
            }
            var id = CityTwin.DetectorId(detector.Id);
            twins.Add(Twin(id, CityTwin.DetectorModelId, new JsonObject
            {
                [CityTwin.Detector] = detector.Id,
                [CityTwin.Lane] = detector.Lane,
                [CityTwin.Position] = detector.Position,
                [CityTwin.Period] = detector.Period,
            }));
            relationships.Add(Relationship(city, CityTwin.Contains, id));
            relationships.Add(Relationship(id, CityTwin.Monitors, CityTwin.RoadId(edge.Id)));
        }
        return Result<CityTwins>.Ok(new CityTwins(twins, relationships));
    }

    /// <summary>The twins in the import format (NDJSON: a header, then the Twins and Relationships sections; models are the pack's).</summary>
    public string ToImport()
    {
        var text = new StringBuilder();
        text.Append("{\"Section\":\"Header\"}\n{\"fileVersion\":\"1.0.0\",\"author\":\"doppel traffic twins\",\"organization\":\"Doppel\"}\n{\"Section\":\"Twins\"}\n");
        foreach (var twin in Twins)
        {
            text.Append(twin.ToJsonString()).Append('\n');
        }
        text.Append("{\"Section\":\"Relationships\"}\n");
        foreach (var relationship in Relationships)
        {
            text.Append(relationship.ToJsonString()).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The roads of twins as the link-flow model reads them (road twins, with their turns and departures).</summary>
    public static IReadOnlyList<LinkFlowRoad> Roads(IEnumerable<JsonObject> roadTwins)
    {
        ArgumentNullException.ThrowIfNull(roadTwins);
        var roads = new List<LinkFlowRoad>();
        foreach (var twin in roadTwins)
        {
            var turns = new Dictionary<string, double>(StringComparer.Ordinal);
            if (twin[CityTwin.Turns] is JsonObject map)
            {
                foreach (var (next, fraction) in map)
                {
                    if (fraction is JsonValue value && value.TryGetValue<double>(out var f))
                    {
                        turns[next] = f;
                    }
                }
            }
            roads.Add(new LinkFlowRoad((string)twin["$dtId"]!, Number(twin, CityTwin.Lanes, 1) is var lanes and >= 1 ? (int)lanes : 1,
                Number(twin, CityTwin.Length, 100), Number(twin, CityTwin.SpeedLimit, 13.89), turns, Number(twin, CityTwin.Departures, DefaultDepartures)));
        }
        return roads;
    }

    private static double Number(JsonObject twin, string name, double fallback) =>
        twin[name] is JsonValue value && value.TryGetValue<double>(out var number) ? number : fallback;

    private static Result<(Dictionary<string, Dictionary<string, double>> Turns, Dictionary<string, double> Departures)> FromNetwork(RoadNetwork network, List<Edge> roads)
    {
        var normal = roads.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var turns = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        foreach (var road in roads)
        {
            var next = network.Connections.Where(c => c.From == road.Id && normal.Contains(c.To)).Select(c => c.To).Distinct(StringComparer.Ordinal).ToList();
            turns[road.Id] = next.ToDictionary(n => n, _ => (1 - DefaultArrivalShare) / next.Count, StringComparer.Ordinal);
        }
        return Result<(Dictionary<string, Dictionary<string, double>>, Dictionary<string, double>)>.Ok((turns, roads.ToDictionary(r => r.Id, _ => DefaultDepartures, StringComparer.Ordinal)));
    }

    private static Result<(Dictionary<string, Dictionary<string, double>> Turns, Dictionary<string, double> Departures)> FromSurvey(List<Edge> roads, TrafficDemand survey)
    {
        var uses = roads.ToDictionary(r => r.Id, _ => 0, StringComparer.Ordinal);
        var starts = roads.ToDictionary(r => r.Id, _ => 0, StringComparer.Ordinal);
        var transitions = new Dictionary<(string, string), int>();
        foreach (var vehicle in survey.Vehicles)
        {
            for (var k = 0; k < vehicle.Route.Count; k++)
            {
                var edge = vehicle.Route[k];
                if (!uses.TryGetValue(edge, out var used))
                {
                    return Result<(Dictionary<string, Dictionary<string, double>>, Dictionary<string, double>)>.Fail("InvalidArgument",
                        $"Vehicle '{vehicle.Id}' of the survey drives '{edge}', which is not a road of the network.");
                }
                uses[edge] = used + 1;
                if (k == 0)
                {
                    starts[edge]++;
                }
                else
                {
                    var key = (vehicle.Route[k - 1], edge);
                    transitions[key] = transitions.GetValueOrDefault(key) + 1;
                }
            }
        }
        var hours = survey.Vehicles.Count < 2 ? 1 : Math.Max(1, (survey.Vehicles.Max(v => v.Depart) - survey.Vehicles.Min(v => v.Depart)) / 3600);
        var turns = roads.ToDictionary(r => r.Id, _ => new Dictionary<string, double>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var ((from, to), count) in transitions)
        {
            turns[from][to] = (double)count / uses[from];
        }
        return Result<(Dictionary<string, Dictionary<string, double>>, Dictionary<string, double>)>.Ok((turns, starts.ToDictionary(s => s.Key, s => s.Value / hours, StringComparer.Ordinal)));
    }

    /// <summary>The edge's centre line: the mean of its lanes' shapes when they have as many points, else its middle lane's.</summary>
    private static string Shape(Edge edge)
    {
        var lanes = edge.Lanes;
        IReadOnlyList<Point2> points;
        if (lanes.All(l => l.Shape.Count == lanes[0].Shape.Count))
        {
            points = [.. Enumerable.Range(0, lanes[0].Shape.Count).Select(i => new Point2(lanes.Average(l => l.Shape[i].X), lanes.Average(l => l.Shape[i].Y)))];
        }
        else
        {
            points = lanes[lanes.Count / 2].Shape;
        }
        return string.Join(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X:0.##},{p.Y:0.##}")));
    }

    /// <summary>A program as SUMO's tlLogic element.</summary>
    internal static string ProgramXml(SignalProgram program)
    {
        var element = new XElement("tlLogic",
            new XAttribute("id", program.Id), new XAttribute("type", program.Type), new XAttribute("programID", program.ProgramId),
            new XAttribute("offset", program.Offset.ToString(CultureInfo.InvariantCulture)),
            program.Phases.Select(p =>
            {
                var phase = new XElement("phase", new XAttribute("duration", p.Duration.ToString(CultureInfo.InvariantCulture)), new XAttribute("state", p.State));
                if (p.MinDuration is { } min)
                {
                    phase.Add(new XAttribute("minDur", min.ToString(CultureInfo.InvariantCulture)));
                }
                if (p.MaxDuration is { } max)
                {
                    phase.Add(new XAttribute("maxDur", max.ToString(CultureInfo.InvariantCulture)));
                }
                if (p.Name is { } name)
                {
                    phase.Add(new XAttribute("name", name));
                }
                return phase;
            }));
        return element.ToString(SaveOptions.DisableFormatting);
    }

    private static JsonObject Twin(string id, string model, JsonObject properties)
    {
        var twin = new JsonObject { ["$dtId"] = id, ["$metadata"] = new JsonObject { ["$model"] = model } };
        foreach (var (name, value) in properties)
        {
            twin[name] = value?.DeepClone();
        }
        return twin;
    }

    private static JsonObject Relationship(string source, string name, string target) => new()
    {
        ["$sourceId"] = source,
        ["$relationshipId"] = $"{name}-{target}",
        ["$targetId"] = target,
        ["$relationshipName"] = name,
    };
}
