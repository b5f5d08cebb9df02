using Doppel.Rules.Internal;
using Doppel.Twins;

namespace Doppel.Rules;

/// <summary>
/// Which twins something watches, as a rule's scope: a model and the models extending it, or a query
/// (<c>SELECT * FROM DIGITALTWINS T WHERE ...</c>) tested against one twin at a time. For watchers beside the rules
/// (anomaly detectors) that scope twins the way rules do.
/// </summary>
public sealed class TwinScope
{
    private readonly ScopeQuery? _query;
    private readonly Func<string, IReadOnlySet<string>> _modelAndSubtypes;

    private TwinScope(string? model, string? query, ScopeQuery? compiled, Func<string, IReadOnlySet<string>> modelAndSubtypes)
    {
        Model = model;
        Query = query;
        _query = compiled;
        _modelAndSubtypes = modelAndSubtypes;
    }

    /// <summary>The model whose twins (and its subtypes' twins) are in scope, or null.</summary>
    public string? Model { get; }

    /// <summary>The scope query, or null.</summary>
    public string? Query { get; }

    /// <summary>Twins of <paramref name="model"/> or of a model extending it.</summary>
    public static TwinScope OfModel(string model, Func<string, IReadOnlySet<string>> modelAndSubtypes) => new(model, null, null, modelAndSubtypes);

    /// <summary>Twins the query selects; an error names the line and column.</summary>
    public static Result<TwinScope> OfQuery(string query, Func<string, IReadOnlySet<string>> modelAndSubtypes)
    {
        var parsed = ScopeQuery.Parse(query, modelAndSubtypes);
        return parsed.IsSuccess ? Result<TwinScope>.Ok(new TwinScope(null, query, parsed.Value, modelAndSubtypes)) : parsed.Error;
    }

    /// <summary>True when the twin is in scope now.</summary>
    public bool Covers(TwinDocument twin)
    {
        ArgumentNullException.ThrowIfNull(twin);
        return _query is not null ? _query.Covers(twin) : _modelAndSubtypes(Model!).Contains(twin.Model.Value);
    }
}
