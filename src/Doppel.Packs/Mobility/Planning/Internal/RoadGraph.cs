using System.Collections.Frozen;
using Doppel.Packs.Mobility.Network;

namespace Doppel.Packs.Mobility.Planning.Internal;

/// <summary>
/// The network's normal edges as a graph for planning: which edges a vehicle may take next (the connections), where
/// traffic enters and leaves the network (its fringe), and each edge's free-flow time.
/// </summary>
internal sealed class RoadGraph
{
    private readonly FrozenDictionary<string, string[]> _next;
    private readonly FrozenDictionary<string, string[]> _previous;

    public RoadGraph(RoadNetwork network)
    {
        Network = network;
        Edges = [.. network.Edges.Where(e => !e.IsInternal && e.Lanes.Count > 0 && CarriesCars(e))];
        var known = Edges.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var next = new Dictionary<string, List<(string To, char Direction)>>(StringComparer.Ordinal);
        var previous = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var c in network.Connections)
        {
            if (!known.Contains(c.From) || !known.Contains(c.To))
            {
                continue;
            }
            var list = next.TryGetValue(c.From, out var l) ? l : next[c.From] = [];
            if (!list.Exists(x => x.To == c.To))
            {
                list.Add((c.To, c.Direction));
            }
            var back = previous.TryGetValue(c.To, out var p) ? p : previous[c.To] = [];
            if (!back.Contains(c.From))
            {
                back.Add(c.From);
            }
        }
        // A turn-around is a way on only where nothing else is (a dead end).
        _next = next.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.Any(x => x.Direction != 't') ? [.. kv.Value.Where(x => x.Direction != 't').Select(x => x.To)] : kv.Value.Select(x => x.To).ToArray(), StringComparer.Ordinal);
        _previous = previous.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
        FreeFlowTime = Edges.ToFrozenDictionary(e => e.Id, e => e.Lanes[0].Length / Math.Max(e.Lanes[0].Speed, 0.1), StringComparer.Ordinal);
        var reverse = Edges.GroupBy(e => (e.From, e.To)).ToDictionary(g => g.Key, g => g.First().Id);
        // The fringe: edges nothing flows into but their own reverse (entries), and edges that lead nowhere else (exits).
        Entries = [.. Edges.Where(e => Previous(e.Id).All(p => reverse.GetValueOrDefault((e.To, e.From)) == p)).Select(e => e.Id)];
        Exits = [.. Edges.Where(e => Next(e.Id).All(n => reverse.GetValueOrDefault((e.To, e.From)) == n)).Select(e => e.Id)];
    }

    public RoadNetwork Network { get; }

    /// <summary>Normal edges passenger cars may drive.</summary>
    public IReadOnlyList<Edge> Edges { get; }

    public IReadOnlyList<string> Entries { get; }

    public IReadOnlyList<string> Exits { get; }

    /// <summary>Seconds to drive each edge at its limit.</summary>
    public FrozenDictionary<string, double> FreeFlowTime { get; }

    public IReadOnlyList<string> Next(string edge) => _next.GetValueOrDefault(edge) ?? [];

    public IReadOnlyList<string> Previous(string edge) => _previous.GetValueOrDefault(edge) ?? [];

    public bool Contains(string edge) => FreeFlowTime.ContainsKey(edge);

    /// <summary>
    /// The fastest route at free-flow speed from <paramref name="from"/> to the nearest of <paramref name="targets"/>
    /// (both ends included), avoiding <paramref name="closed"/>; null when none can be reached.
    /// </summary>
    public List<string>? Route(string from, IReadOnlySet<string> targets, IReadOnlySet<string> closed)
    {
        if (!Contains(from) || closed.Contains(from))
        {
            return null;
        }
        var cost = new Dictionary<string, double>(StringComparer.Ordinal) { [from] = 0 };
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new PriorityQueue<string, double>();
        queue.Enqueue(from, 0);
        while (queue.TryDequeue(out var edge, out var at))
        {
            if (at > cost[edge])
            {
                continue;
            }
            if (targets.Contains(edge))
            {
                var route = new List<string> { edge };
                while (parent.TryGetValue(route[^1], out var p))
                {
                    route.Add(p);
                }
                route.Reverse();
                return route;
            }
            foreach (var next in Next(edge))
            {
                if (closed.Contains(next))
                {
                    continue;
                }
                var through = at + FreeFlowTime[next];
                if (through < cost.GetValueOrDefault(next, double.PositiveInfinity))
                {
                    cost[next] = through;
                    parent[next] = edge;
                    queue.Enqueue(next, through);
                }
            }
        }
        return null;
    }

    private static bool CarriesCars(Edge edge) => edge.Lanes.Any(l =>
        (l.Allow.Count == 0 || l.Allow.Contains("passenger")) && !l.Disallow.Contains("passenger"));
}
