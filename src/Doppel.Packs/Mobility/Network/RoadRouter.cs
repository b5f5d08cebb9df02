namespace Doppel.Packs.Mobility.Network;

/// <summary>
/// Fastest paths over a network's normal edges at free-flow speed, honouring connections, as SUMO's duarouter finds
/// them with its defaults: an edge costs its length over its speed limit, a turn costs the travel time over its internal
/// lanes (a turn may cross an internal junction: two internal lanes in a row) plus <see cref="MinorPenalty"/> on a minor
/// link (duarouter's <c>--weights.minor-penalty</c>), and equal costs go to the edge that comes first in the file
/// (duarouter's Dijkstra breaks ties by edge number). Closed edges are never used.
/// </summary>
public sealed class RoadRouter
{
    private readonly RoadNetwork network;
    private readonly Dictionary<string, int> indexById;
    private readonly Edge[] edges;
    private readonly double[] cost;
    private readonly (int To, double Cost)[][] successors;

    public RoadRouter(RoadNetwork network, IReadOnlySet<string>? closedEdges = null, string vehicleClass = "passenger")
    {
        ArgumentNullException.ThrowIfNull(network);
        this.network = network;
        edges = network.Edges.Where(e => !e.IsInternal && (closedEdges is null || !closedEdges.Contains(e.Id)) && e.Lanes.Any(l => Allows(l, vehicleClass))).ToArray();
        indexById = new Dictionary<string, int>(edges.Length, StringComparer.Ordinal);
        for (var i = 0; i < edges.Length; i++)
        {
            indexById[edges[i].Id] = i;
        }
        cost = edges.Select(e => e.Lanes.Max(l => l.Length) / e.Lanes.Max(l => l.Speed)).ToArray();
        var next = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var connection in network.Connections)
        {
            if (connection.Via is { } after && network.FindEdge(connection.From) is { IsInternal: true } inside)
            {
                next[inside.Lanes[connection.FromLane].Id] = after;
            }
        }
        var best = new Dictionary<(int, int), double>();
        foreach (var connection in network.Connections)
        {
            if (!indexById.TryGetValue(connection.From, out var from) || !indexById.TryGetValue(connection.To, out var to)
                || !Allows(edges[from].Lanes[connection.FromLane], vehicleClass) || !Allows(edges[to].Lanes[connection.ToLane], vehicleClass))
            {
                continue;
            }
            var via = connection.State is 'm' or 'o' or '=' or 's' or 'w' ? MinorPenalty : 0;
            for (var laneId = connection.Via; laneId is not null && network.FindLane(laneId) is { } lane; laneId = next.GetValueOrDefault(laneId))
            {
                via += lane.Length / lane.Speed;
            }
            best[(from, to)] = best.TryGetValue((from, to), out var known) ? Math.Min(known, via) : via;
        }
        var lists = new List<(int, double)>[edges.Length];
        foreach (var ((from, to), via) in best.OrderBy(p => p.Key.Item1).ThenBy(p => p.Key.Item2))
        {
            (lists[from] ??= []).Add((to, via));
        }
        successors = lists.Select(l => l?.ToArray() ?? []).ToArray();
    }

    /// <summary>Seconds added to a turn over a minor link (one that yields), as duarouter's default.</summary>
    public const double MinorPenalty = 1.5;

    /// <summary>The network this router routes on.</summary>
    public RoadNetwork Network => network;

    /// <summary>Whether a lane lets vehicles of a SUMO class drive on it.</summary>
    public static bool Allows(Lane lane, string vehicleClass)
    {
        ArgumentNullException.ThrowIfNull(lane);
        if (lane.Allow.Count > 0)
        {
            return lane.Allow.Contains(vehicleClass) || lane.Allow.Contains("all");
        }
        return !lane.Disallow.Contains(vehicleClass) && !lane.Disallow.Contains("all");
    }

    /// <summary>The fastest route from the start of <paramref name="fromEdge"/> to the end of <paramref name="toEdge"/>, both included; null when there is none (or an edge is unknown or closed).</summary>
    public IReadOnlyList<string>? Route(string fromEdge, string toEdge)
    {
        if (!indexById.TryGetValue(fromEdge, out var from) || !indexById.TryGetValue(toEdge, out var to))
        {
            return null;
        }
        var effort = new double[edges.Length];
        Array.Fill(effort, double.PositiveInfinity);
        var previous = new int[edges.Length];
        Array.Fill(previous, -1);
        var visited = new bool[edges.Length];
        var queue = new PriorityQueue<int, (double, int)>();
        effort[from] = cost[from];
        queue.Enqueue(from, (effort[from], from));
        while (queue.TryDequeue(out var edge, out var key))
        {
            if (visited[edge] || key.Item1 > effort[edge])
            {
                continue;
            }
            visited[edge] = true;
            if (edge == to)
            {
                var route = new List<string>();
                for (var e = to; e >= 0; e = previous[e])
                {
                    route.Add(edges[e].Id);
                }
                route.Reverse();
                return route;
            }
            foreach (var (next, via) in successors[edge])
            {
                var candidate = effort[edge] + via + cost[next];
                if (!visited[next] && candidate < effort[next])
                {
                    effort[next] = candidate;
                    previous[next] = edge;
                    queue.Enqueue(next, (candidate, next));
                }
            }
        }
        return null;
    }

    /// <summary>Whether a vehicle can go from the end of <paramref name="from"/> onto <paramref name="to"/> (a connection joins them).</summary>
    public bool Connects(string from, string to) =>
        indexById.TryGetValue(from, out var a) && indexById.TryGetValue(to, out var b) && successors[a].Any(s => s.To == b);
}
