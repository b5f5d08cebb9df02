using System.Xml.Linq;
using Doppel.Packs.Mobility.Network.Internal;

namespace Doppel.Packs.Mobility.Network;

/// <summary>
/// Reads SUMO's <c>.net.xml</c> (net version 1.x as netconvert and netgenerate write it): edges with their lanes, the
/// internal edges and internal junctions, junctions with their right-of-way matrices, connections and traffic-light
/// programs. Errors name the file and line and what is wrong (malformed XML, a connection to a missing lane, ...).
/// </summary>
public static class SumoNetworkReader
{
    public static Result<RoadNetwork> Read(string path) => SumoXml.ReadFile(path, Read);

    public static Result<RoadNetwork> Read(Stream xml, string name)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return SumoXml.Catch(() => Parse(SumoXml.Load(xml, name), name));
    }

    private static RoadNetwork Parse(XDocument document, string file)
    {
        var root = document.Root!;
        if (root.Name.LocalName != "net")
        {
            throw SumoXml.Error(file, root, $"the root element is <{root.Name.LocalName}>, not <net>: this is not a SUMO network.");
        }
        var edges = new List<Edge>();
        var junctions = new List<Junction>();
        var connections = new List<(Connection Connection, XElement Element)>();
        var programs = new List<SignalProgram>();
        var offset = default(Point2);
        foreach (var element in root.Elements())
        {
            switch (element.Name.LocalName)
            {
                case "location":
                    if (SumoXml.Optional(element, "netOffset") is { } netOffset)
                    {
                        offset = SumoXml.Point(file, element, "netOffset", netOffset);
                    }
                    break;
                case "edge":
                    edges.Add(ReadEdge(file, element));
                    break;
                case "junction":
                    junctions.Add(ReadJunction(file, element));
                    break;
                case "connection":
                    connections.Add((ReadConnection(file, element), element));
                    break;
                case "tlLogic":
                    programs.Add(ReadSignalProgram(file, element));
                    break;
                default:
                    break; // type, roundabout, param, neigh, ...: nothing the twin needs
            }
        }
        Unique(file, root, edges.Select(e => e.Id), "edge");
        Unique(file, root, edges.SelectMany(e => e.Lanes).Select(l => l.Id), "lane");
        Unique(file, root, junctions.Select(j => j.Id), "junction");
        Unique(file, root, programs.Select(p => p.Id + "\u0001" + p.ProgramId), "tlLogic (id, programID)");
        var network = new RoadNetwork(edges, junctions, connections.Select(c => c.Connection).ToList(), programs) { NetOffset = offset };
        Check(file, network, root, connections);
        return network;
    }

    private static Edge ReadEdge(string file, XElement element)
    {
        var id = SumoXml.Required(file, element, "id");
        var function = SumoXml.Optional(element, "function") switch
        {
            null or "normal" => EdgeFunction.Normal,
            "internal" => EdgeFunction.Internal,
            "connector" => EdgeFunction.Connector,
            "crossing" => EdgeFunction.Crossing,
            "walkingarea" => EdgeFunction.WalkingArea,
            var other => throw SumoXml.Error(file, element, $"edge '{id}' has function '{other}' (normal, internal, connector, crossing or walkingarea)."),
        };
        var lanes = new List<Lane>();
        foreach (var lane in element.Elements("lane"))
        {
            var laneId = SumoXml.Required(file, lane, "id");
            var index = SumoXml.Int(file, lane, "index", lanes.Count);
            if (index != lanes.Count)
            {
                throw SumoXml.Error(file, lane, $"lane '{laneId}' of edge '{id}' has index {index} where {lanes.Count} was expected (lanes are listed rightmost first).");
            }
            var speed = SumoXml.RequiredDouble(file, lane, "speed");
            var length = SumoXml.RequiredDouble(file, lane, "length");
            if (speed <= 0 || length < 0)
            {
                throw SumoXml.Error(file, lane, $"lane '{laneId}' has speed {speed} and length {length}: the speed must be positive and the length not negative.");
            }
            lanes.Add(new Lane(laneId, index, speed, length, SumoXml.Shape(file, lane, "shape"))
            {
                Width = SumoXml.Double(file, lane, "width", 3.2),
                Allow = SumoXml.List(SumoXml.Optional(lane, "allow")),
                Disallow = SumoXml.List(SumoXml.Optional(lane, "disallow")),
            });
        }
        if (lanes.Count == 0)
        {
            throw SumoXml.Error(file, element, $"edge '{id}' has no lane.");
        }
        var from = SumoXml.Optional(element, "from");
        var to = SumoXml.Optional(element, "to");
        if (function == EdgeFunction.Normal && (from is null || to is null))
        {
            throw SumoXml.Error(file, element, $"edge '{id}' has no 'from' or 'to' junction.");
        }
        return new Edge(id, from, to, function, SumoXml.Int(file, element, "priority", -1), lanes) { Name = SumoXml.Optional(element, "name") };
    }

    private static Junction ReadJunction(string file, XElement element)
    {
        var id = SumoXml.Required(file, element, "id");
        var requests = new List<JunctionRequest>();
        foreach (var request in element.Elements("request"))
        {
            var index = SumoXml.Int(file, request, "index", requests.Count);
            var response = SumoXml.Required(file, request, "response");
            var foes = SumoXml.Required(file, request, "foes");
            if (response.Length != foes.Length || response.Any(c => c is not ('0' or '1')) || foes.Any(c => c is not ('0' or '1')))
            {
                throw SumoXml.Error(file, request, $"request {index} of junction '{id}' has response '{response}' and foes '{foes}': both must be bit strings of the same length.");
            }
            requests.Add(new JunctionRequest(index, response, foes, SumoXml.Bool(file, request, "cont", false)));
        }
        requests.Sort((a, b) => a.Index.CompareTo(b.Index));
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i].Index != i || requests[i].Response.Length != requests.Count)
            {
                throw SumoXml.Error(file, element, $"junction '{id}' has {requests.Count} requests: their indices must be 0..{requests.Count - 1}, each with {requests.Count} bits.");
            }
        }
        var position = new Point2(SumoXml.RequiredDouble(file, element, "x"), SumoXml.RequiredDouble(file, element, "y"));
        return new Junction(id, SumoXml.Required(file, element, "type"), position,
            SumoXml.List(SumoXml.Optional(element, "incLanes")), SumoXml.List(SumoXml.Optional(element, "intLanes")), requests)
        {
            Shape = SumoXml.Shape(file, element, "shape"),
        };
    }

    private static Connection ReadConnection(string file, XElement element)
    {
        var direction = SumoXml.Optional(element, "dir") ?? "s";
        var state = SumoXml.Optional(element, "state") ?? "M";
        if (direction.Length != 1 || state.Length != 1)
        {
            throw SumoXml.Error(file, element, $"connection has dir '{direction}' and state '{state}': each must be one character.");
        }
        return new Connection(
            SumoXml.Required(file, element, "from"),
            SumoXml.Required(file, element, "to"),
            SumoXml.Int(file, element, "fromLane", -1) is var fromLane and >= 0 ? fromLane : throw SumoXml.Error(file, element, "connection has no 'fromLane' (a lane index)."),
            SumoXml.Int(file, element, "toLane", -1) is var toLane and >= 0 ? toLane : throw SumoXml.Error(file, element, "connection has no 'toLane' (a lane index)."),
            SumoXml.Optional(element, "via"),
            SumoXml.Optional(element, "tl"),
            SumoXml.Int(file, element, "linkIndex", -1),
            direction[0],
            state[0]);
    }

    internal static SignalProgram ReadSignalProgram(string file, XElement element)
    {
        var id = SumoXml.Required(file, element, "id");
        var phases = new List<SignalPhase>();
        foreach (var phase in element.Elements("phase"))
        {
            var duration = SumoXml.RequiredDouble(file, phase, "duration");
            var state = SumoXml.Required(file, phase, "state");
            if (duration <= 0)
            {
                throw SumoXml.Error(file, phase, $"a phase of tlLogic '{id}' lasts {duration} s: a duration must be positive.");
            }
            if (state.Any(c => "GgyrsuoO".IndexOf(c, StringComparison.Ordinal) < 0))
            {
                throw SumoXml.Error(file, phase, $"a phase of tlLogic '{id}' has state '{state}': one of G g y r s u o O per link.");
            }
            if (phases.Count > 0 && phases[0].State.Length != state.Length)
            {
                throw SumoXml.Error(file, phase, $"a phase of tlLogic '{id}' has {state.Length} links where the first has {phases[0].State.Length}.");
            }
            phases.Add(new SignalPhase(duration, state)
            {
                MinDuration = SumoXml.OptionalDouble(file, phase, "minDur"),
                MaxDuration = SumoXml.OptionalDouble(file, phase, "maxDur"),
                Name = SumoXml.Optional(phase, "name"),
            });
        }
        if (phases.Count == 0)
        {
            throw SumoXml.Error(file, element, $"tlLogic '{id}' has no phase.");
        }
        return new SignalProgram(id, SumoXml.Optional(element, "type") ?? "static", SumoXml.Optional(element, "programID") ?? "0",
            SumoXml.Double(file, element, "offset", 0), phases);
    }

    private static void Unique(string file, XElement root, IEnumerable<string> ids, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (!seen.Add(id))
            {
                throw SumoXml.Error(file, root, $"two {what}s have the id '{id.Replace('\u0001', '/')}'.");
            }
        }
    }

    private static void Check(string file, RoadNetwork network, XElement root, List<(Connection Connection, XElement Element)> connections)
    {
        foreach (var edge in network.Edges.Where(e => !e.IsInternal))
        {
            if (network.FindJunction(edge.From!) is null || network.FindJunction(edge.To!) is null)
            {
                throw SumoXml.Error(file, root, $"edge '{edge.Id}' joins '{edge.From}' to '{edge.To}', but the network has no such junction.");
            }
        }
        foreach (var junction in network.Junctions)
        {
            foreach (var lane in junction.IncomingLanes.Concat(junction.InternalLanes))
            {
                if (network.FindLane(lane) is null)
                {
                    throw SumoXml.Error(file, root, $"junction '{junction.Id}' names lane '{lane}', which the network does not have.");
                }
            }
        }
        var signals = network.SignalPrograms.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (connection, element) in connections)
        {
            var from = network.FindEdge(connection.From)
                ?? throw SumoXml.Error(file, element, $"connection from edge '{connection.From}', which the network does not have.");
            var to = network.FindEdge(connection.To)
                ?? throw SumoXml.Error(file, element, $"connection to edge '{connection.To}', which the network does not have.");
            if (connection.FromLane >= from.Lanes.Count || connection.ToLane >= to.Lanes.Count)
            {
                throw SumoXml.Error(file, element, $"connection from lane {connection.FromLane} of '{from.Id}' ({from.Lanes.Count} lanes) to lane {connection.ToLane} of '{to.Id}' ({to.Lanes.Count} lanes): a missing lane.");
            }
            if (connection.Via is { } via && network.FindLane(via) is null)
            {
                throw SumoXml.Error(file, element, $"connection from '{from.Id}' to '{to.Id}' goes via lane '{via}', which the network does not have.");
            }
            if (connection.TrafficLight is { } signal && !signals.Contains(signal))
            {
                throw SumoXml.Error(file, element, $"connection from '{from.Id}' to '{to.Id}' is controlled by traffic light '{signal}', which has no tlLogic.");
            }
        }
    }
}
