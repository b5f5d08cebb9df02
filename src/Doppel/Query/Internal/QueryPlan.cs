using System.Text.Json.Nodes;

namespace Doppel.Query.Internal;

/// <summary>One way to extend a row from an already bound twin: a JOIN (one forward hop) or a MATCH edge.</summary>
/// <param name="From">Slot of the bound twin.</param>
/// <param name="To">Slot the reached twin binds.</param>
/// <param name="Relationship">Slot the relationship binds, or -1.</param>
/// <param name="Direction">Forward follows outgoing relationships from <paramref name="From"/>, Backward incoming ones, Any both.</param>
/// <param name="Names">Accepted relationship names; empty accepts any.</param>
/// <param name="MinHops">Fewest hops (inclusive).</param>
/// <param name="MaxHops">Most hops (inclusive).</param>
internal sealed record ExpandStep(int From, int To, int Relationship, EdgeDirection Direction, IReadOnlyList<string> Names, int MinHops, int MaxHops);

/// <summary>A parsed query checked against what this engine executes, with aliases resolved to row slots.</summary>
/// <remarks>
/// Slot 0 is the anchor: the alias whose candidates are enumerated in <c>$dtId</c> order (for FROM RELATIONSHIPS,
/// the relationships of each source twin in that order); the steps bind every other slot from it.
/// </remarks>
internal sealed class QueryPlan
{
    private readonly List<string> _slots = [];
    private readonly List<ExpandStep> _steps = [];

    private QueryPlan(QuerySyntax syntax) => Syntax = syntax;

    public QuerySyntax Syntax { get; }

    public string? Alias => Syntax.From.Alias;

    /// <summary>Alias per slot; unnamed MATCH nodes get names no query can spell.</summary>
    public IReadOnlyList<string> Slots => _slots;

    public IReadOnlyList<ExpandStep> Steps => _steps;

    public bool IsRelationships => Syntax.From.Collection == CollectionKind.Relationships;

    /// <summary>Slots that hold relationships rather than twins.</summary>
    public HashSet<int> RelationshipSlots { get; } = [];

    /// <summary>True when rows bind more than one document, so a row is never just "the" twin.</summary>
    public bool IsMultiAlias => _steps.Count > 0;

    public int SlotOf(string alias) => _slots.IndexOf(alias);

    /// <summary>The slot a path reads and how many leading segments name the alias.</summary>
    public (int Slot, int Skip) Resolve(IReadOnlyList<string> segments)
    {
        var slot = _slots.IndexOf(segments[0]);
        return slot >= 0 ? (slot, 1) : (0, 0);
    }

    public static (QueryPlan? Plan, QueryError? Error) Create(string text, QuerySyntax syntax)
    {
        var plan = new QueryPlan(syntax);
        var (offset, message) = plan.Bind();
        if (message is null)
        {
            (offset, message) = plan.Check();
        }
        return message is null ? (plan, null) : (null, Parser.ErrorAt(text, offset, message));
    }

    private (int Offset, string? Message) Bind()
    {
        var from = Syntax.From;
        if (from.Match is { } match)
        {
            // Anchor at the node the WHERE clause pins by $dtId (or, failing that, any indexed condition), so the
            // traversal starts from few twins; without one it starts from the first node and scans.
            var anchor = AccessPaths.ChooseMatchAnchor(match, Syntax.Where);
            var nodeSlots = new int[match.Nodes.Count];
            nodeSlots[anchor] = AddSlot(match.Nodes[anchor].Alias ?? "\0node" + anchor);
            for (var i = anchor; i < match.Edges.Count; i++)
            {
                nodeSlots[i + 1] = AddSlot(match.Nodes[i + 1].Alias ?? "\0node" + (i + 1));
                var (step, error) = Step(match.Edges[i], nodeSlots[i], nodeSlots[i + 1], false);
                if (error is not null)
                {
                    return error.Value;
                }
                _steps.Add(step!);
            }
            for (var i = anchor - 1; i >= 0; i--)
            {
                nodeSlots[i] = AddSlot(match.Nodes[i].Alias ?? "\0node" + i);
                var (step, error) = Step(match.Edges[i], nodeSlots[i + 1], nodeSlots[i], true);
                if (error is not null)
                {
                    return error.Value;
                }
                _steps.Add(step!);
            }
            return (0, null);
        }
        AddSlot(from.Alias ?? "\0from");
        if (IsRelationships)
        {
            RelationshipSlots.Add(0);
            if (from.Joins.Count > 0)
            {
                return (from.Joins[0].Offset, "FROM RELATIONSHIPS cannot be combined with JOIN");
            }
        }
        foreach (var join in from.Joins)
        {
            var source = SlotOf(join.Source);
            if (source < 0 || RelationshipSlots.Contains(source))
            {
                return (join.Offset, $"JOIN {join.Target} RELATED {join.Source}.{join.RelationshipName} refers to '{join.Source}', which is not a twin alias defined before it");
            }
            if (SlotOf(join.Target) >= 0 || (join.RelationshipAlias is { } r && (SlotOf(r) >= 0 || r == join.Target)))
            {
                return (join.Offset, $"the alias '{join.Target}' is defined twice");
            }
            var target = AddSlot(join.Target);
            var rel = join.RelationshipAlias is { } relAlias ? AddSlot(relAlias) : -1;
            if (rel >= 0)
            {
                RelationshipSlots.Add(rel);
            }
            _steps.Add(new ExpandStep(source, target, rel, EdgeDirection.Forward, [join.RelationshipName], 1, 1));
        }
        if (from.Joins.Count > 0 && AccessPaths.ChooseJoinAnchor(from, Syntax.Where) is { } joinAnchor && joinAnchor != _slots[0])
        {
            Reanchor(joinAnchor);
        }
        return (0, null);
    }

    // JOINs form a tree of aliases rooted at the FROM alias; anchored at another alias, the edges on the way back to the
    // root are followed backwards (incoming relationships), which binds the same rows.
    private void Reanchor(string anchor)
    {
        var from = Syntax.From;
        var joins = from.Joins;
        _slots.Clear();
        _steps.Clear();
        RelationshipSlots.Clear();
        AddSlot(anchor);
        var done = new bool[joins.Count];
        for (var added = 0; added < joins.Count;)
        {
            for (var i = 0; i < joins.Count; i++)
            {
                var join = joins[i];
                if (done[i])
                {
                    continue;
                }
                var (source, target) = (SlotOf(join.Source), SlotOf(join.Target));
                if (source < 0 && target < 0)
                {
                    continue;
                }
                var forward = source >= 0;
                var to = AddSlot(forward ? join.Target : join.Source);
                var rel = join.RelationshipAlias is { } relAlias ? AddSlot(relAlias) : -1;
                if (rel >= 0)
                {
                    RelationshipSlots.Add(rel);
                }
                _steps.Add(new ExpandStep(forward ? source : target, to, rel, forward ? EdgeDirection.Forward : EdgeDirection.Backward, [join.RelationshipName], 1, 1));
                done[i] = true;
                added++;
            }
        }
    }

    private (ExpandStep? Step, (int, string?)? Error) Step(MatchEdge edge, int from, int to, bool reversed)
    {
        var direction = !reversed ? edge.Direction : edge.Direction switch
        {
            EdgeDirection.Forward => EdgeDirection.Backward,
            EdgeDirection.Backward => EdgeDirection.Forward,
            _ => EdgeDirection.Any,
        };
        var rel = -1;
        if (edge.Variable is { } variable)
        {
            if (edge.Hops is not null)
            {
                return (null, (edge.Offset, $"the relationship variable '{variable}' cannot be used with a hop count; variables bind single hops only"));
            }
            if (SlotOf(variable) >= 0)
            {
                return (null, (edge.Offset, $"the alias '{variable}' is defined twice"));
            }
            rel = AddSlot(variable);
            RelationshipSlots.Add(rel);
        }
        // ADT: *n is exactly n hops, *n..m is more than n and at most m, *..m is 1 to m.
        var (min, max) = edge.Hops switch
        {
            null => (1, 1),
            { Min: { } n, Max: { } m } when n == m => (n, n),
            { Min: { } n, Max: { } m } => (n + 1, m),
            { Max: { } m } => (1, m),
            _ => (1, 1),
        };
        return (new ExpandStep(from, to, rel, direction, edge.RelationshipNames, min, max), null);
    }

    private int AddSlot(string alias)
    {
        _slots.Add(alias);
        return _slots.Count - 1;
    }

    private (int Offset, string? Message) Check()
    {
        if (IsMultiAlias && Syntax.Select.Kind == SelectKind.Star)
        {
            return (Syntax.Select.Offset, "SELECT * cannot be used with JOIN or MATCH; select the aliases instead, as in SELECT T, CT");
        }
        if (Syntax.IsGrouped)
        {
            var grouping = CheckGrouping();
            if (grouping.Message is not null)
            {
                return grouping;
            }
        }
        return Syntax.Where is null ? (0, null) : Check(Syntax.Where);
    }

    /// <summary>True when two paths read the same value (the same slot and the same segments after the alias).</summary>
    public bool SamePath(PathExpr a, PathExpr b)
    {
        var (slotA, skipA) = Resolve(a.Segments);
        var (slotB, skipB) = Resolve(b.Segments);
        return slotA == slotB && a.Segments.Skip(skipA).SequenceEqual(b.Segments.Skip(skipB), StringComparer.Ordinal);
    }

    private bool IsGroupPath(PathExpr path)
    {
        foreach (var g in Syntax.GroupBy)
        {
            if (SamePath(g, path))
            {
                return true;
            }
        }
        return false;
    }

    // Every plain projection and ORDER BY path of a grouped query must be a GROUP BY path, so a group has one value for it.
    private (int Offset, string? Message) CheckGrouping()
    {
        if (Syntax.Select.Kind == SelectKind.Star)
        {
            return (Syntax.Select.Offset, "SELECT * cannot be used with GROUP BY; select the grouped properties and aggregates");
        }
        foreach (var projection in Syntax.Select.Projections)
        {
            if (projection.Aggregate == Aggregate.None && !IsGroupPath(projection.Path!))
            {
                return (projection.Offset, $"'{projection.Path}' is neither in GROUP BY nor inside an aggregate such as COUNT() or MAX()");
            }
        }
        foreach (var order in Syntax.OrderBy)
        {
            if (!IsGroupPath(order.Path))
            {
                return (order.Path.Offset, $"ORDER BY '{order.Path}' must be a GROUP BY property in a grouped query");
            }
        }
        return (0, null);
    }

    private (int Offset, string? Message) Check(Expr expr)
    {
        switch (expr)
        {
            case BinaryExpr binary:
                var left = Check(binary.Left);
                return left.Message is not null ? left : Check(binary.Right);
            case NotExpr not:
                return Check(not.Operand);
            case InExpr @in:
                return Check(@in.Operand);
            case CallExpr { Name: "IS_OF_MODEL" } call:
                return CheckIsOfModel(call);
            case CallExpr call:
                foreach (var argument in call.Arguments)
                {
                    var result = Check(argument);
                    if (result.Message is not null)
                    {
                        return result;
                    }
                }
                return (0, null);
            default:
                return (0, null);
        }
    }

    private (int Offset, string? Message) CheckIsOfModel(CallExpr call)
    {
        var arguments = call.Arguments;
        var index = 0;
        if (arguments[0] is PathExpr collection)
        {
            var slot = collection.Segments.Count == 1 ? SlotOf(collection.Segments[0]) : -1;
            if (slot < 0 || RelationshipSlots.Contains(slot))
            {
                return (collection.Offset, $"IS_OF_MODEL refers to '{collection}', which is not a collection of this query");
            }
            index = 1;
        }
        if (index >= arguments.Count || arguments[index] is not LiteralExpr { Value: JsonValue model } || model.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            return (index < arguments.Count ? arguments[index].Offset : call.Offset, "IS_OF_MODEL expects a model id string such as 'dtmi:example:Room;1'");
        }
        var rest = arguments.Count - index - 1;
        var exactOnly = rest == 0 || (rest == 1 && arguments[^1] is PathExpr { Segments: [var word] } && word.Equals("exact", StringComparison.OrdinalIgnoreCase));
        if (!exactOnly)
        {
            return (arguments[^1].Offset, "IS_OF_MODEL accepts only 'exact' after the model id");
        }
        return (0, null);
    }
}
