using System.Collections.Frozen;

namespace Doppel.Packs.Mobility.Network;

/// <summary>
/// A road network as SUMO's <c>.net.xml</c> describes it: edges with their lanes (normal and the internal ones inside
/// junctions), junctions with their right-of-way matrices, connections between lanes, and traffic-light programs.
/// Ids are SUMO's, so files written from it (tripinfo, tlLogic) read back into SUMO unchanged.
/// </summary>
public sealed record RoadNetwork
{
    private readonly FrozenDictionary<string, Edge> edgesById;
    private readonly FrozenDictionary<string, Lane> lanesById;
    private readonly FrozenDictionary<string, Junction> junctionsById;

    public RoadNetwork(IReadOnlyList<Edge> edges, IReadOnlyList<Junction> junctions, IReadOnlyList<Connection> connections, IReadOnlyList<SignalProgram> signalPrograms)
    {
        Edges = edges;
        Junctions = junctions;
        Connections = connections;
        SignalPrograms = signalPrograms;
        edgesById = edges.ToFrozenDictionary(e => e.Id, StringComparer.Ordinal);
        lanesById = edges.SelectMany(e => e.Lanes).ToFrozenDictionary(l => l.Id, StringComparer.Ordinal);
        junctionsById = junctions.ToFrozenDictionary(j => j.Id, StringComparer.Ordinal);
    }

    /// <summary>Every edge, normal and internal, in file order.</summary>
    public IReadOnlyList<Edge> Edges { get; }

    /// <summary>Every junction, including SUMO's internal junctions (type <c>internal</c>), in file order.</summary>
    public IReadOnlyList<Junction> Junctions { get; }

    /// <summary>Every connection, from normal lanes and from internal lanes, in file order.</summary>
    public IReadOnlyList<Connection> Connections { get; }

    /// <summary>The traffic-light programs (<c>tlLogic</c>); a signal may have several programs, one per program id.</summary>
    public IReadOnlyList<SignalProgram> SignalPrograms { get; }

    public Edge? FindEdge(string id) => edgesById.GetValueOrDefault(id);

    public Lane? FindLane(string id) => lanesById.GetValueOrDefault(id);

    public Junction? FindJunction(string id) => junctionsById.GetValueOrDefault(id);

    /// <summary>SUMO's <c>netOffset</c>: what was added to the source coordinates to give the network's (kept so files round-trip).</summary>
    public Point2 NetOffset { get; init; }
}

/// <summary>What an edge is for; SUMO's <c>function</c> attribute (absent means normal).</summary>
public enum EdgeFunction
{
    Normal,
    Internal,
    Connector,
    Crossing,
    WalkingArea,
}

/// <summary>
/// An edge: a one-way road between two junctions (normal), or one movement inside a junction (internal, id starting
/// with ':'; <see cref="From"/> and <see cref="To"/> are null then). Priority decides right of way where no signal does.
/// </summary>
public sealed record Edge(string Id, string? From, string? To, EdgeFunction Function, int Priority, IReadOnlyList<Lane> Lanes)
{
    public bool IsInternal => Function != EdgeFunction.Normal;

    /// <summary>The street's name when the file gives one.</summary>
    public string? Name { get; init; }
}

/// <summary>
/// A lane, index 0 the rightmost. <see cref="Length"/> is SUMO's (what vehicles drive), which may differ from the
/// shape's geometric length. <see cref="Allow"/> and <see cref="Disallow"/> are SUMO vehicle classes (empty: all).
/// </summary>
public sealed record Lane(string Id, int Index, double Speed, double Length, IReadOnlyList<Point2> Shape)
{
    public double Width { get; init; } = 3.2;

    public IReadOnlyList<string> Allow { get; init; } = [];

    public IReadOnlyList<string> Disallow { get; init; } = [];
}

/// <summary>A point in the network's metres (SUMO's x, y after netOffset).</summary>
public readonly record struct Point2(double X, double Y);

/// <summary>
/// A junction. <see cref="Type"/> is SUMO's (<c>traffic_light</c>, <c>priority</c>, <c>right_before_left</c>,
/// <c>dead_end</c>, <c>internal</c>, ...). <see cref="Requests"/> is its right-of-way matrix, one per link index.
/// </summary>
public sealed record Junction(string Id, string Type, Point2 Position, IReadOnlyList<string> IncomingLanes, IReadOnlyList<string> InternalLanes, IReadOnlyList<JunctionRequest> Requests)
{
    /// <summary>The junction's outline, when the file gives one (for drawing).</summary>
    public IReadOnlyList<Point2> Shape { get; init; } = [];
}

/// <summary>
/// One row of a junction's right-of-way matrix. <see cref="Response"/> and <see cref="Foes"/> are SUMO's bit strings,
/// written with link index 0 as the last character: a '1' at link <c>j</c> in Response means this link must yield to j;
/// in Foes that the two cross. <see cref="Cont"/>: vehicles may enter and wait inside (at an internal junction).
/// </summary>
public sealed record JunctionRequest(int Index, string Response, string Foes, bool Cont)
{
    public bool MustYieldTo(int link) => Response[Response.Length - 1 - link] == '1';

    public bool Crosses(int link) => Foes[Foes.Length - 1 - link] == '1';
}

/// <summary>
/// A connection from a lane of one edge to a lane of the next. <see cref="Via"/> is the internal lane that carries it
/// through the junction. <see cref="TrafficLight"/> and <see cref="LinkIndex"/> place it in a signal's state string.
/// <see cref="Direction"/>: s straight, r right, l left, t turn-around, R/L partial. <see cref="State"/>: SUMO's link state
/// when uncontrolled (M major, m minor, = equal, s stop, w allway-stop, Z zipper, o off/controlled by the signal).
/// </summary>
public sealed record Connection(string From, string To, int FromLane, int ToLane, string? Via, string? TrafficLight, int LinkIndex, char Direction, char State);

/// <summary>
/// A traffic-light program (<c>tlLogic</c>). <see cref="Offset"/> shifts the cycle: at time t the program is at
/// (t - offset) mod cycle. Types: <c>static</c>, <c>actuated</c>, <c>delay_based</c>.
/// </summary>
public sealed record SignalProgram(string Id, string Type, string ProgramId, double Offset, IReadOnlyList<SignalPhase> Phases)
{
    public double CycleTime => Phases.Sum(p => p.Duration);
}

/// <summary>
/// One phase: one character per link index (G green with priority, g green yielding, y yellow, r red, s stop,
/// u red-yellow, o off blinking, O off). Min and max durations bound actuated programs.
/// </summary>
public sealed record SignalPhase(double Duration, string State)
{
    public double? MinDuration { get; init; }

    public double? MaxDuration { get; init; }

    public string? Name { get; init; }
}

/// <summary>An induction loop (SUMO's <c>e1Detector</c>/<c>inductionLoop</c> in an additional file).</summary>
public sealed record InductionLoop(string Id, string Lane, double Position, double Period)
{
    /// <summary>Where SUMO would write its output; kept so files round-trip.</summary>
    public string? File { get; init; }
}
