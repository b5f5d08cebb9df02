using System.Collections.Concurrent;
using Doppel.Packs.Mobility.Network;

namespace Doppel.Packs.Mobility.Simulation.Internal;

/// <summary>
/// A <see cref="RoadNetwork"/> compiled into flat arrays for the step loop: lanes (normal and internal) by index, links
/// (a connection from a normal lane through its internal lanes to the next normal lane) with their right-of-way foes
/// from the junction's request matrix, and the signals' programs.
/// </summary>
internal sealed class NetworkModel
{
    public NetworkModel(RoadNetwork network)
    {
        Network = network;
        var lanes = new List<Lane>();
        var laneEdge = new List<int>();
        var edgeLanes = new List<int[]>();
        var edgeIds = new List<string>();
        var edgeInternal = new List<bool>();
        var laneByid = new Dictionary<string, int>(StringComparer.Ordinal);
        EdgeIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var edge in network.Edges)
        {
            var e = edgeIds.Count;
            EdgeIndex[edge.Id] = e;
            edgeIds.Add(edge.Id);
            edgeInternal.Add(edge.IsInternal);
            var ids = new int[edge.Lanes.Count];
            foreach (var lane in edge.Lanes.OrderBy(l => l.Index))
            {
                ids[lane.Index] = lanes.Count;
                laneByid[lane.Id] = lanes.Count;
                lanes.Add(lane);
                laneEdge.Add(e);
            }
            edgeLanes.Add(ids);
        }
        LaneIndexById = laneByid;
        LaneCount = lanes.Count;
        LaneId = [.. lanes.Select(l => l.Id)];
        LaneLength = [.. lanes.Select(l => Math.Max(l.Length, 0.1))];
        LaneSpeed = [.. lanes.Select(l => l.Speed)];
        LaneIndex = [.. lanes.Select(l => l.Index)];
        LaneShape = [.. lanes.Select(l => l.Shape.ToArray())];
        LaneEdge = [.. laneEdge];
        EdgeId = [.. edgeIds];
        EdgeLanes = [.. edgeLanes];
        EdgeInternal = [.. edgeInternal];
        LaneInternal = [.. laneEdge.Select(e => edgeInternal[e])];
        LaneAllowsPassenger = [.. lanes.Select(l => AllowsPassenger(l))];

        // Internal lanes continue into one lane each: the next internal lane or the normal lane after the junction.
        InternalNext = new int[LaneCount];
        Array.Fill(InternalNext, -1);
        var normalConnections = new List<Connection>();
        foreach (var c in network.Connections)
        {
            if (!EdgeIndex.TryGetValue(c.From, out var fromEdge) || !EdgeIndex.TryGetValue(c.To, out var toEdge)
                || c.FromLane >= EdgeLanes[fromEdge].Length || c.ToLane >= EdgeLanes[toEdge].Length)
            {
                continue;
            }
            var from = EdgeLanes[fromEdge][c.FromLane];
            var to = EdgeLanes[toEdge][c.ToLane];
            if (EdgeInternal[fromEdge])
            {
                InternalNext[from] = c.Via is { } via && laneByid.TryGetValue(via, out var v) ? v : to;
            }
            else
            {
                normalConnections.Add(c);
            }
        }

        // Request index of a connection at its junction: SUMO numbers the links by incoming lane (incLanes order), then
        // by the lane's connections in file order; tls link indices may differ, so they are kept apart.
        var junctionOf = new Dictionary<string, Junction>(StringComparer.Ordinal);
        foreach (var j in network.Junctions)
        {
            foreach (var inc in j.IncomingLanes)
            {
                junctionOf[inc] = j;
            }
        }
        var byFromLane = normalConnections.GroupBy(c => c.From + "_" + c.FromLane.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var links = new List<LinkBuild>();
        var junctions = new List<Junction>();
        var junctionIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var j in network.Junctions)
        {
            if (j.Type == "internal")
            {
                continue;
            }
            var request = 0;
            foreach (var inc in j.IncomingLanes)
            {
                if (!byFromLane.TryGetValue(inc, out var list))
                {
                    continue;
                }
                foreach (var c in list)
                {
                    if (!junctionIndex.TryGetValue(j.Id, out var ji))
                    {
                        ji = junctions.Count;
                        junctionIndex[j.Id] = ji;
                        junctions.Add(j);
                    }
                    links.Add(new LinkBuild(c, ji, request++));
                }
                byFromLane.Remove(inc);
            }
        }
        // Connections whose lane no junction lists (hand-built networks): their own junction-less links, always major.
        foreach (var list in byFromLane.Values)
        {
            foreach (var c in list)
            {
                links.Add(new LinkBuild(c, -1, -1));
            }
        }

        LinkCount = links.Count;
        LinkFrom = new int[LinkCount];
        LinkTo = new int[LinkCount];
        LinkToEdge = new int[LinkCount];
        LinkVia = new int[LinkCount][];
        LinkTls = new int[LinkCount];
        LinkTlsIndex = new int[LinkCount];
        LinkState = new char[LinkCount];
        LinkCont = new bool[LinkCount];
        LinkFoes = new int[LinkCount][];
        LinkLength = new double[LinkCount];
        LinkDirection = new char[LinkCount];
        var tlsIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var tlsIds = new List<string>();
        foreach (var p in network.SignalPrograms)
        {
            if (!tlsIndex.ContainsKey(p.Id))
            {
                tlsIndex[p.Id] = tlsIds.Count;
                tlsIds.Add(p.Id);
            }
        }
        var linkByRequest = new Dictionary<(int, int), int>();
        for (var l = 0; l < LinkCount; l++)
        {
            var (c, ji, request) = links[l];
            LinkFrom[l] = EdgeLanes[EdgeIndex[c.From]][c.FromLane];
            LinkToEdge[l] = EdgeIndex[c.To];
            LinkTo[l] = EdgeLanes[LinkToEdge[l]][c.ToLane];
            var via = new List<int>();
            var lane = c.Via is { } v && laneByid.TryGetValue(v, out var vi) ? vi : -1;
            while (lane >= 0 && LaneInternal[lane] && via.Count < 8)
            {
                via.Add(lane);
                lane = InternalNext[lane];
            }
            LinkVia[l] = [.. via];
            LinkLength[l] = via.Sum(i => LaneLength[i]);
            LinkTls[l] = c.TrafficLight is { } tl && tlsIndex.TryGetValue(tl, out var ti) ? ti : -1;
            LinkTlsIndex[l] = c.LinkIndex;
            LinkState[l] = c.State;
            LinkDirection[l] = c.Direction;
            if (ji >= 0)
            {
                linkByRequest[(ji, request)] = l;
                var req = junctions[ji].Requests.FirstOrDefault(r => r.Index == request);
                LinkCont[l] = req?.Cont ?? false;
            }
        }
        for (var l = 0; l < LinkCount; l++)
        {
            var (_, ji, request) = links[l];
            var foes = new List<int>();
            var req = ji >= 0 ? junctions[ji].Requests.FirstOrDefault(r => r.Index == request) : null;
            if (req is not null)
            {
                for (var k = 0; k < req.Response.Length; k++)
                {
                    if (req.MustYieldTo(k) && linkByRequest.TryGetValue((ji, k), out var foe))
                    {
                        foes.Add(foe);
                    }
                }
            }
            LinkFoes[l] = [.. foes];
        }

        // A link's internal lanes know their link; the one ending at a cont link's internal junction is a wait point.
        InternalLink = new int[LaneCount];
        Array.Fill(InternalLink, -1);
        InternalWait = new int[LaneCount];
        Array.Fill(InternalWait, -1);
        for (var l = 0; l < LinkCount; l++)
        {
            foreach (var lane in LinkVia[l])
            {
                InternalLink[lane] = l;
            }
            if (LinkCont[l] && LinkVia[l].Length > 1)
            {
                InternalWait[LinkVia[l][0]] = l;
            }
        }

        // The foes a link checks: at its junction the links it must yield to and their internal lanes; at an internal
        // junction (the wait point of a cont link) SUMO's internal junction lists the foe internal lanes (intLanes) and the
        // incoming lanes whose links through those lanes it yields to.
        CheckFoeLinks = new int[LinkCount][];
        CheckFoeLanes = new int[LinkCount][];
        WaitFoeLinks = new int[LinkCount][];
        WaitFoeLanes = new int[LinkCount][];
        var linksFromLane = Enumerable.Range(0, LaneCount).Select(_ => new List<int>()).ToArray();
        for (var l = 0; l < LinkCount; l++)
        {
            linksFromLane[LinkFrom[l]].Add(l);
        }
        for (var l = 0; l < LinkCount; l++)
        {
            CheckFoeLinks[l] = LinkFoes[l];
            CheckFoeLanes[l] = [.. LinkFoes[l].SelectMany(f => LinkVia[f]).Distinct()];
            WaitFoeLinks[l] = [];
            WaitFoeLanes[l] = [];
            if (LinkVia[l].Length > 1 && network.FindJunction(LaneId[LinkVia[l][1]]) is { Type: "internal" } inner)
            {
                var foeLanes = inner.InternalLanes.Where(laneByid.ContainsKey).Select(id => laneByid[id]).ToHashSet();
                WaitFoeLanes[l] = [.. foeLanes];
                WaitFoeLinks[l] = [.. inner.IncomingLanes.Skip(1).Where(laneByid.ContainsKey).SelectMany(id => linksFromLane[laneByid[id]])
                    .Where(f => LinkVia[f].Length > 0 && foeLanes.Contains(LinkVia[f][0])).Distinct()];
            }
            else if (LinkCont[l] && LinkVia[l].Length > 1)
            {
                WaitFoeLinks[l] = LinkFoes[l];
                WaitFoeLanes[l] = CheckFoeLanes[l];
            }
        }

        // Outgoing links per normal lane, so the step finds the link to a route's next edge in a few compares.
        LaneLinks = new int[LaneCount][];
        var outgoing = Enumerable.Range(0, LaneCount).Select(_ => new List<int>()).ToArray();
        for (var l = 0; l < LinkCount; l++)
        {
            outgoing[LinkFrom[l]].Add(l);
        }
        for (var i = 0; i < LaneCount; i++)
        {
            LaneLinks[i] = [.. outgoing[i]];
        }

        var incoming = Enumerable.Range(0, LaneCount).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < LaneCount; i++)
        {
            if (LaneInternal[i] && InternalNext[i] >= 0)
            {
                incoming[InternalNext[i]].Add(i);
            }
        }
        LaneIncoming = [.. incoming.Select(l => l.ToArray())];

        TlsIds = [.. tlsIds];
        Programs = new SignalProgram[TlsIds.Length];
        foreach (var p in network.SignalPrograms)
        {
            var t = tlsIndex[p.Id];
            Programs[t] ??= p;
        }
        TlsIndexById = tlsIndex;
        TlsState = new string[TlsIds.Length];
        TlsPhase = new int[TlsIds.Length];

        // Every conflict point the step asks for, computed once here: the parallel update then only reads them.
        for (var l = 0; l < LinkCount; l++)
        {
            foreach (var foeLane in CheckFoeLanes[l].Concat(WaitFoeLanes[l]))
            {
                CrossingOn(l, foeLane);
            }
        }

        // A lane change reads beyond its own edge only through a link into the next lane; when every link into a
        // multi-lane edge passes internal lanes (which no lane change alters), edges change lanes independently.
        LaneChangesIndependentPerEdge = Enumerable.Range(0, LinkCount).All(l => LinkVia[l].Length > 0 || EdgeLanes[LinkToEdge[l]].Length < 2);
    }

    private readonly record struct LinkBuild(Connection Connection, int Junction, int Request);

    private static bool AllowsPassenger(Lane lane) =>
        lane.Allow.Count > 0 ? lane.Allow.Contains("passenger") || lane.Allow.Contains("all") : !lane.Disallow.Contains("passenger") && !lane.Disallow.Contains("all");

    public RoadNetwork Network { get; }

    public int LaneCount { get; }

    public string[] LaneId { get; }

    public double[] LaneLength { get; }

    public double[] LaneSpeed { get; }

    public int[] LaneIndex { get; }

    public int[] LaneEdge { get; }

    public bool[] LaneInternal { get; }

    public bool[] LaneAllowsPassenger { get; }

    public Point2[][] LaneShape { get; }

    public IReadOnlyDictionary<string, int> LaneIndexById { get; }

    /// <summary>For an internal lane, the lane it continues into.</summary>
    public int[] InternalNext { get; }

    /// <summary>For an internal lane, the link it belongs to.</summary>
    public int[] InternalLink { get; }

    /// <summary>For the first internal lane of a link that may wait inside the junction (SUMO's cont), that link; else -1.</summary>
    public int[] InternalWait { get; }

    public string[] EdgeId { get; }

    public int[][] EdgeLanes { get; }

    public bool[] EdgeInternal { get; }

    public Dictionary<string, int> EdgeIndex { get; }

    public int LinkCount { get; }

    public int[] LinkFrom { get; }

    public int[] LinkTo { get; }

    public int[] LinkToEdge { get; }

    public int[][] LinkVia { get; }

    public int[] LinkTls { get; }

    public int[] LinkTlsIndex { get; }

    public char[] LinkState { get; }

    public char[] LinkDirection { get; }

    public bool[] LinkCont { get; }

    /// <summary>The links this link must yield to (its row of the junction's response matrix).</summary>
    public int[][] LinkFoes { get; }

    public double[] LinkLength { get; }

    /// <summary>Links whose approaching vehicles can block this link at its junction.</summary>
    public int[][] CheckFoeLinks { get; }

    /// <summary>Internal lanes whose vehicles block this link at its junction.</summary>
    public int[][] CheckFoeLanes { get; }

    /// <summary>For a cont link, links whose approaching vehicles block it at its internal junction.</summary>
    public int[][] WaitFoeLinks { get; }

    /// <summary>For a cont link, internal lanes whose vehicles block it at its internal junction.</summary>
    public int[][] WaitFoeLanes { get; }

    public int[][] LaneLinks { get; }

    /// <summary>For each lane, the internal lanes that end on it.</summary>
    public int[][] LaneIncoming { get; }

    public string[] TlsIds { get; }

    public SignalProgram[] Programs { get; }

    public IReadOnlyDictionary<string, int> TlsIndexById { get; }

    /// <summary>Each signal's state string now.</summary>
    public string[] TlsState { get; }

    public int[] TlsPhase { get; }

    // Filled in the constructor for every link and foe lane the step checks; a pair asked for later is added (lock-free reads).
    private readonly ConcurrentDictionary<long, double> crossings = new();

    /// <summary>Whether lane changes on one edge read no other edge's normal lanes, so edges may change lanes in parallel.</summary>
    public bool LaneChangesIndependentPerEdge { get; }

    /// <summary>
    /// How far along a foe internal lane its path crosses the given link's internal lanes (SUMO's conflict point), or
    /// the foe lane's length when they only merge: a foe vehicle whose back has passed it no longer blocks the link.
    /// </summary>
    public double CrossingOn(int link, int foeLane)
    {
        var key = ((long)link << 32) | (uint)foeLane;
        return crossings.TryGetValue(key, out var known) ? known : crossings.GetOrAdd(key, ComputeCrossing(link, foeLane));
    }

    private double ComputeCrossing(int link, int foeLane)
    {
        var foe = LaneShape[foeLane];
        var result = LaneLength[foeLane];
        var travelled = 0.0;
        var geometric = 0.0;
        for (var k = 1; k < foe.Length; k++)
        {
            geometric += Distance(foe[k - 1], foe[k]);
        }
        var scale = geometric > 0 ? LaneLength[foeLane] / geometric : 1;
        var found = false;
        for (var k = 1; k < foe.Length && !found; k++)
        {
            var best = double.MaxValue;
            foreach (var via in LinkVia[link])
            {
                var own = LaneShape[via];
                for (var m = 1; m < own.Length; m++)
                {
                    if (Intersect(foe[k - 1], foe[k], own[m - 1], own[m], out var t) && t < best)
                    {
                        best = t;
                    }
                }
            }
            if (best < double.MaxValue)
            {
                result = Math.Min(LaneLength[foeLane], (travelled + (best * Distance(foe[k - 1], foe[k]))) * scale);
                found = true;
            }
            travelled += Distance(foe[k - 1], foe[k]);
        }
        return result;
    }

    private static double Distance(Point2 a, Point2 b) => Math.Sqrt(((b.X - a.X) * (b.X - a.X)) + ((b.Y - a.Y) * (b.Y - a.Y)));

    private static bool Intersect(Point2 p1, Point2 p2, Point2 q1, Point2 q2, out double t)
    {
        var rx = p2.X - p1.X;
        var ry = p2.Y - p1.Y;
        var sx = q2.X - q1.X;
        var sy = q2.Y - q1.Y;
        var denominator = (rx * sy) - (ry * sx);
        t = 0;
        if (Math.Abs(denominator) < 1e-12)
        {
            return false;
        }
        t = (((q1.X - p1.X) * sy) - ((q1.Y - p1.Y) * sx)) / denominator;
        var u = (((q1.X - p1.X) * ry) - ((q1.Y - p1.Y) * rx)) / denominator;
        return t >= 0 && t <= 1 && u >= 0 && u <= 1;
    }

    /// <summary>The link from a normal lane to a lane of the given edge, or -1.</summary>
    public int FindLink(int lane, int toEdge)
    {
        var links = LaneLinks[lane];
        for (var k = 0; k < links.Length; k++)
        {
            if (LinkToEdge[links[k]] == toEdge)
            {
                return links[k];
            }
        }
        return -1;
    }

    /// <summary>Sets every signal's state for time t: program position (t - offset) mod cycle.</summary>
    public void UpdateSignals(double t)
    {
        for (var s = 0; s < Programs.Length; s++)
        {
            var p = Programs[s];
            var cycle = p.CycleTime;
            if (p.Phases.Count == 0 || cycle <= 0)
            {
                continue;
            }
            var at = (t - p.Offset) % cycle;
            if (at < 0)
            {
                at += cycle;
            }
            var phase = 0;
            while (phase < p.Phases.Count - 1 && at >= p.Phases[phase].Duration - 1e-9)
            {
                at -= p.Phases[phase].Duration;
                phase++;
            }
            TlsPhase[s] = phase;
            TlsState[s] = p.Phases[phase].State;
        }
    }

    /// <summary>The state a link shows now: its signal's character, or its junction's fixed one.</summary>
    public char State(int link)
    {
        var tls = LinkTls[link];
        if (tls < 0)
        {
            return LinkState[link];
        }
        var state = TlsState[tls];
        var i = LinkTlsIndex[link];
        return state is not null && i >= 0 && i < state.Length ? state[i] : 'O';
    }

    public void SetProgram(SignalProgram program)
    {
        if (!TlsIndexById.TryGetValue(program.Id, out var t))
        {
            throw new ArgumentException($"No signal '{program.Id}' in the network.", nameof(program));
        }
        Programs[t] = program;
    }

    /// <summary>Fastest route at free-flow speed over normal edges, honouring connections and closed edges (Dijkstra).</summary>
    public int[]? Route(int fromEdge, int toEdge, bool[] closed)
    {
        var n = EdgeId.Length;
        var cost = new double[n];
        Array.Fill(cost, double.PositiveInfinity);
        var previous = new int[n];
        Array.Fill(previous, -1);
        var queue = new PriorityQueue<int, double>();
        cost[fromEdge] = 0;
        queue.Enqueue(fromEdge, 0);
        while (queue.TryDequeue(out var e, out var c))
        {
            if (c > cost[e])
            {
                continue;
            }
            if (e == toEdge)
            {
                break;
            }
            foreach (var lane in EdgeLanes[e])
            {
                foreach (var l in LaneLinks[lane])
                {
                    var next = LinkToEdge[l];
                    if (closed[next])
                    {
                        continue;
                    }
                    var nextLane = EdgeLanes[next][0];
                    var step = (LaneLength[nextLane] / Math.Max(LaneSpeed[nextLane], 0.1)) + (LinkLength[l] / 10);
                    if (c + step < cost[next])
                    {
                        cost[next] = c + step;
                        previous[next] = e;
                        queue.Enqueue(next, c + step);
                    }
                }
            }
        }
        if (double.IsPositiveInfinity(cost[toEdge]))
        {
            return null;
        }
        var route = new List<int>();
        for (var e = toEdge; e >= 0; e = previous[e])
        {
            route.Add(e);
            if (e == fromEdge)
            {
                break;
            }
        }
        route.Reverse();
        return [.. route];
    }
}
