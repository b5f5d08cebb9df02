namespace Doppel.Query;

/// <summary>Limits enforced on queries; the defaults are ADT's documented service limits.</summary>
public sealed record QueryLimits
{
    /// <summary>The ADT defaults.</summary>
    public static QueryLimits Default { get; } = new();

    /// <summary>Characters per query.</summary>
    public int MaxQueryLength { get; init; } = 8000;

    /// <summary>AND/OR operators per query.</summary>
    public int MaxLogicalOperators { get; init; } = 50;

    /// <summary>Items in one IN/NIN list.</summary>
    public int MaxInItems { get; init; } = 50;

    /// <summary>Rows per page; larger requested page sizes are clamped to this.</summary>
    public int MaxPageSize { get; init; } = 1000;

    /// <summary>JOIN clauses per query.</summary>
    public int MaxJoins { get; init; } = 5;

    /// <summary>Upper bound of a MATCH hop range.</summary>
    public int MaxHops { get; init; } = 10;
}
