using System.Text.Json.Nodes;

namespace Doppel.Query.Internal;

// The syntax tree covers the whole grammar of the ADT query language; the executor runs a subset.
// Every node keeps the offset of its first character so later stages can report positions.

internal sealed record QuerySyntax(SelectClause Select, FromClause From, Expr? Where, IReadOnlyList<OrderItem> OrderBy, int OrderByOffset)
{
    /// <summary>GROUP BY paths (beyond ADT); empty when absent.</summary>
    public IReadOnlyList<PathExpr> GroupBy { get; init; } = [];

    /// <summary>True when rows are groups: GROUP BY, or an aggregate next to other projections.</summary>
    public bool IsGrouped => GroupBy.Count > 0 || (Select.Kind == SelectKind.Projections && Select.Projections.Any(p => p.Aggregate != Aggregate.None));
}

internal enum SelectKind
{
    /// <summary><c>SELECT *</c> or <c>SELECT TOP(n)</c> alone.</summary>
    Star,
    Count,
    Projections,
}

internal sealed record SelectClause(SelectKind Kind, int? Top, IReadOnlyList<Projection> Projections, int Offset)
{
    /// <summary><c>SELECT DISTINCT</c> (beyond ADT): equal projected rows are returned once.</summary>
    public bool Distinct { get; init; }
}

/// <summary>Aggregate functions (beyond ADT, except COUNT).</summary>
internal enum Aggregate
{
    None,
    Count,
    Sum,
    Avg,
    Min,
    Max,
}

/// <summary>
/// An alias (<c>T</c>), an aliased path (<c>T.a.b</c>) or a bare path (<c>a.b</c>), or an aggregate over one
/// (<c>COUNT()</c> has no path), optionally renamed with AS.
/// </summary>
internal sealed record Projection(PathExpr? Path, string? As, int Offset, Aggregate Aggregate = Aggregate.None)
{
    /// <summary>The row key: the AS name, else the aggregate's name (<c>COUNT</c>, <c>AVG</c>...), else the last path segment.</summary>
    public string Name => As ?? (Aggregate != Aggregate.None ? Aggregate.ToString().ToUpperInvariant() : Path!.Segments[^1]);
}

internal enum CollectionKind
{
    DigitalTwins,
    Relationships,
}

internal sealed record FromClause(CollectionKind Collection, string? Alias, IReadOnlyList<JoinClause> Joins, MatchClause? Match, int Offset);

/// <summary><c>JOIN Target RELATED Source.relationshipName [RelationshipAlias]</c>.</summary>
internal sealed record JoinClause(string Target, string Source, string RelationshipName, string? RelationshipAlias, int Offset);

internal sealed record MatchClause(IReadOnlyList<MatchNode> Nodes, IReadOnlyList<MatchEdge> Edges, int Offset);

internal sealed record MatchNode(string? Alias, int Offset);

internal enum EdgeDirection
{
    Any,
    Forward,
    Backward,
}

/// <summary>Hop range: <c>*n</c> is Min = Max = n; <c>*n..m</c> and <c>*..m</c> leave Min exclusive as ADT documents.</summary>
internal sealed record HopRange(int? Min, int? Max);

internal sealed record MatchEdge(EdgeDirection Direction, string? Variable, IReadOnlyList<string> RelationshipNames, HopRange? Hops, int Offset);

internal sealed record OrderItem(PathExpr Path, bool Descending);

internal enum BinaryOp
{
    Eq,
    NotEq,
    Lt,
    Gt,
    LtEq,
    GtEq,
    And,
    Or,
}

internal abstract record Expr(int Offset);

internal sealed record LiteralExpr(JsonNode? Value, int Offset) : Expr(Offset);

/// <summary>A dotted name; the first segment may be a collection alias, resolved when the query is bound.</summary>
internal sealed record PathExpr(IReadOnlyList<string> Segments, int Offset) : Expr(Offset)
{
    public override string ToString() => string.Join('.', Segments);
}

internal sealed record BinaryExpr(BinaryOp Op, Expr Left, Expr Right, int Offset) : Expr(Offset);

internal sealed record NotExpr(Expr Operand, int Offset) : Expr(Offset);

/// <summary><c>x IN [..]</c>, or <c>x NIN [..]</c> when <see cref="Negated"/>.</summary>
internal sealed record InExpr(Expr Operand, IReadOnlyList<LiteralExpr> Items, bool Negated, int Offset) : Expr(Offset);

/// <summary>A function call; <see cref="Name"/> is upper case with aliases folded (STARTS_WITH is STARTSWITH).</summary>
internal sealed record CallExpr(string Name, IReadOnlyList<Expr> Arguments, int Offset) : Expr(Offset);
