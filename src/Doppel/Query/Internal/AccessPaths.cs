using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Twins;
using Doppel.Twins.Internal;

namespace Doppel.Query.Internal;

/// <summary>A way to enumerate candidate anchor ids in ordinal order, with an estimate of how many it yields.</summary>
internal abstract class AccessPath
{
    public abstract long Estimate { get; }

    public abstract IEnumerable<string> IdsAfter(string? after);

    /// <summary>Membership, used to intersect the cheapest path with the others before any document is read.</summary>
    public abstract bool Contains(string id);
}

internal sealed class IdListPath(string[] sorted) : AccessPath
{
    public override long Estimate => sorted.Length;

    public override IEnumerable<string> IdsAfter(string? after)
    {
        var i = 0;
        if (after is not null)
        {
            var at = Array.BinarySearch(sorted, after, StringComparer.Ordinal);
            i = at >= 0 ? at + 1 : ~at;
        }
        for (; i < sorted.Length; i++)
        {
            yield return sorted[i];
        }
    }

    public override bool Contains(string id) => Array.BinarySearch(sorted, id, StringComparer.Ordinal) >= 0;
}

/// <summary>Ids in a sorted index list, optionally only those starting with a prefix.</summary>
internal sealed class SortedListPath(SortedIdList list, string? prefix = null) : AccessPath
{
    private readonly int _from = prefix is null ? 0 : list.RankOf(prefix);
    private readonly int _to = prefix is null ? list.Count : list.RankOf(prefix + char.MaxValue);

    public override long Estimate => _to - _from;

    public override IEnumerable<string> IdsAfter(string? after) => list.Range(Math.Max(_from, list.RankAfter(after)), _to);

    public override bool Contains(string id) => prefix is null ? list.Contains(id) : id.StartsWith(prefix, StringComparison.Ordinal);
}

/// <summary>The union of disjoint sorted lists (one per model of an IS_OF_MODEL), merged in id order.</summary>
internal sealed class UnionPath(SortedIdList[] lists) : AccessPath
{
    public override long Estimate
    {
        get
        {
            long sum = 0;
            foreach (var list in lists)
            {
                sum += list.Count;
            }
            return sum;
        }
    }

    public override IEnumerable<string> IdsAfter(string? after)
    {
        if (lists.Length == 1)
        {
            foreach (var id in lists[0].After(after))
            {
                yield return id;
            }
            yield break;
        }
        var cursors = new IEnumerator<string>[lists.Length];
        var live = new bool[lists.Length];
        try
        {
            for (var i = 0; i < lists.Length; i++)
            {
                cursors[i] = lists[i].After(after).GetEnumerator();
                live[i] = cursors[i].MoveNext();
            }
            while (true)
            {
                var best = -1;
                for (var i = 0; i < lists.Length; i++)
                {
                    if (live[i] && (best < 0 || string.CompareOrdinal(cursors[i].Current, cursors[best].Current) < 0))
                    {
                        best = i;
                    }
                }
                if (best < 0)
                {
                    yield break;
                }
                yield return cursors[best].Current;
                live[best] = cursors[best].MoveNext();
            }
        }
        finally
        {
            foreach (var cursor in cursors)
            {
                cursor?.Dispose();
            }
        }
    }

    public override bool Contains(string id)
    {
        foreach (var list in lists)
        {
            if (list.Contains(id))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>
/// The planner: reads the top-level AND conjuncts of WHERE that constrain the anchor alias and turns each into an
/// access path. Only conjuncts are used, so every path is implied by the condition and the executor's full re-check
/// keeps results exact.
/// </summary>
internal static class AccessPaths
{
    public static List<Expr> Conjuncts(Expr? where)
    {
        var list = new List<Expr>();
        Add(where);
        return list;

        void Add(Expr? e)
        {
            if (e is BinaryExpr { Op: BinaryOp.And } and)
            {
                Add(and.Left);
                Add(and.Right);
            }
            else if (e is not null)
            {
                list.Add(e);
            }
        }
    }

    /// <summary>The MATCH node to start from: one pinned by <c>$dtId</c>, else one with another indexable condition, else the first.</summary>
    public static int ChooseMatchAnchor(MatchClause match, Expr? where)
    {
        var conjuncts = Conjuncts(where);
        var best = 0;
        var bestScore = 3;
        for (var i = 0; i < match.Nodes.Count; i++)
        {
            if (match.Nodes[i].Alias is not { } alias)
            {
                continue;
            }
            foreach (var c in conjuncts)
            {
                var score = Score(c, alias);
                if (score < bestScore)
                {
                    (best, bestScore) = (i, score);
                }
            }
        }
        return best;
    }

    /// <summary>The JOIN alias to start from: the FROM alias unless WHERE pins only another twin alias by <c>$dtId</c>.</summary>
    public static string? ChooseJoinAnchor(FromClause from, Expr? where)
    {
        var conjuncts = Conjuncts(where);
        bool Pinned(string alias) => conjuncts.Exists(c => IdLiterals(c, alias, "$dtId") is not null);
        if (from.Alias is not { } root || Pinned(root))
        {
            return null;
        }
        foreach (var join in from.Joins)
        {
            if (Pinned(join.Target))
            {
                return join.Target;
            }
        }
        return null;
    }

    private static int Score(Expr c, string alias)
    {
        if (IdLiterals(c, alias, "$dtId") is not null)
        {
            return 0;
        }
        return c switch
        {
            CallExpr { Name: "IS_OF_MODEL", Arguments: [PathExpr { Segments: [var a] }, ..] } when a == alias => 2,
            CallExpr { Name: "STARTSWITH", Arguments: [PathExpr { Segments: [var a, "$dtId"] }, LiteralExpr] } when a == alias => 1,
            BinaryExpr { Op: BinaryOp.Eq, Left: PathExpr { Segments: [var a, _] }, Right: LiteralExpr } when a == alias => 1,
            _ => 3,
        };
    }

    /// <summary>Paths for the anchor (slot 0); <paramref name="graph"/> is null when the source has no indexes.</summary>
    public static List<AccessPath> For(QueryPlan plan, TwinGraph? graph, IQuerySource source)
    {
        var paths = new List<AccessPath>();
        var idName = plan.IsRelationships ? "$sourceId" : "$dtId";
        foreach (var c in Conjuncts(plan.Syntax.Where))
        {
            if (IdLiterals(c, plan, idName) is { } ids)
            {
                paths.Add(new IdListPath(ids));
            }
            else if (graph is not null && !plan.IsRelationships && Indexed(c, plan, graph, source) is { } path)
            {
                paths.Add(path);
            }
        }
        return paths;
    }

    private static string[]? IdLiterals(Expr c, QueryPlan plan, string idName) =>
        c switch
        {
            BinaryExpr { Op: BinaryOp.Eq, Left: PathExpr p, Right: LiteralExpr l } when IsAnchorField(p, plan, idName) && Str(l) is { } s => [s],
            BinaryExpr { Op: BinaryOp.Eq, Left: LiteralExpr l, Right: PathExpr p } when IsAnchorField(p, plan, idName) && Str(l) is { } s => [s],
            InExpr { Negated: false, Operand: PathExpr p } @in when IsAnchorField(p, plan, idName) => Strings(@in.Items),
            _ => null,
        };

    private static string[]? IdLiterals(Expr c, string alias, string idName) =>
        c switch
        {
            BinaryExpr { Op: BinaryOp.Eq, Left: PathExpr { Segments: [var a, var f] }, Right: LiteralExpr l } when a == alias && f == idName && Str(l) is { } s => [s],
            BinaryExpr { Op: BinaryOp.Eq, Left: LiteralExpr l, Right: PathExpr { Segments: [var a, var f] } } when a == alias && f == idName && Str(l) is { } s => [s],
            InExpr { Negated: false, Operand: PathExpr { Segments: [var a, var f] } } @in when a == alias && f == idName => Strings(@in.Items),
            _ => null,
        };

    private static AccessPath? Indexed(Expr c, QueryPlan plan, TwinGraph graph, IQuerySource source)
    {
        switch (c)
        {
            case CallExpr { Name: "STARTSWITH", Arguments: [PathExpr p, LiteralExpr l] } when IsAnchorField(p, plan, "$dtId") && Str(l) is { } prefix:
                return new SortedListPath(graph.Ids, prefix);
            case CallExpr { Name: "IS_OF_MODEL" } call:
                var index = call.Arguments[0] is PathExpr ? 1 : 0;
                if (index == 1 && plan.SlotOf(((PathExpr)call.Arguments[0]).Segments[0]) != 0)
                {
                    return null;
                }
                var model = Str((LiteralExpr)call.Arguments[index])!;
                var exact = call.Arguments.Count > index + 1;
                var models = exact ? new HashSet<string>(StringComparer.Ordinal) { model } : new HashSet<string>(source.ModelAndSubtypes(model), StringComparer.Ordinal) { model };
                var lists = new List<SortedIdList>(models.Count);
                foreach (var m in models)
                {
                    if (graph.IdsOfModel(m) is { Count: > 0 } list)
                    {
                        lists.Add(list);
                    }
                }
                return new UnionPath([.. lists]);
            case BinaryExpr { Op: not (BinaryOp.And or BinaryOp.Or or BinaryOp.NotEq) } b:
                var (path, literal, op) = b.Left is PathExpr lp && b.Right is LiteralExpr rl ? (lp, rl, b.Op)
                    : b.Right is PathExpr rp && b.Left is LiteralExpr ll ? (rp, ll, Flip(b.Op)) : (null, null, b.Op);
                if (path is null || PropertyName(path, plan) is not { } name || Key(literal!) is not { } key)
                {
                    return null;
                }
                var propertyIndex = graph.PropertyIndex(name);
                return op == BinaryOp.Eq ? new SortedListPath(propertyIndex.Equal(key)) : Range(propertyIndex, key, op);
            default:
                return null;
        }
    }

    // A range is materialized: the ids of every value in range, sorted. Worth it only because a range conjunct is
    // usually selective; the planner still prefers a smaller path when there is one, and estimates this one exactly.
    private static IdListPath Range(PropertyIndex index, IndexKey key, BinaryOp op)
    {
        var ids = new List<string>();
        foreach (var (value, list) in index.Values)
        {
            if (value.Kind != key.Kind)
            {
                continue;
            }
            var c = value.CompareTo(key);
            var inRange = op switch
            {
                BinaryOp.Lt => c < 0,
                BinaryOp.LtEq => c <= 0,
                BinaryOp.Gt => c > 0,
                _ => c >= 0,
            };
            if (inRange)
            {
                ids.AddRange(list.After(null));
            }
        }
        var sorted = ids.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return new IdListPath(sorted);
    }

    private static BinaryOp Flip(BinaryOp op) => op switch
    {
        BinaryOp.Lt => BinaryOp.Gt,
        BinaryOp.Gt => BinaryOp.Lt,
        BinaryOp.LtEq => BinaryOp.GtEq,
        BinaryOp.GtEq => BinaryOp.LtEq,
        _ => op,
    };

    private static string? PropertyName(PathExpr path, QueryPlan plan)
    {
        var (slot, skip) = plan.Resolve(path.Segments);
        return slot == 0 && path.Segments.Count == skip + 1 && !path.Segments[skip].StartsWith('$') ? path.Segments[skip] : null;
    }

    private static IndexKey? Key(LiteralExpr literal)
    {
        if (literal.Value is not JsonValue value)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(value.ToJsonString());
        return IndexKey.TryCreate(doc.RootElement, out var key) ? key : null;
    }

    private static bool IsAnchorField(PathExpr p, QueryPlan plan, string field)
    {
        var (slot, skip) = plan.Resolve(p.Segments);
        return slot == 0 && p.Segments.Count == skip + 1 && p.Segments[skip] == field;
    }

    private static string? Str(LiteralExpr l) => l.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string[]? Strings(IReadOnlyList<LiteralExpr> items)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (Str(item) is { } s)
            {
                set.Add(s);
            }
        }
        return [.. set];
    }
}
