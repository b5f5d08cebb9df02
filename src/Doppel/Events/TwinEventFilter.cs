using System.Text.Json.Nodes;
using Doppel.Modeling;
using Doppel.Query;
using Doppel.Twins;

namespace Doppel.Events;

/// <summary>
/// Which events a live stream wants: twin ids, a model (with the models that extend it), event types, and a query
/// condition on the twin. Built once per subscriber; <see cref="Matches"/> runs on the publisher's thread for every event,
/// so the cheap tests come first and none of them allocates.
/// </summary>
public sealed class TwinEventFilter
{
    /// <summary>The short names accepted besides full CloudEvents types.</summary>
    public static IReadOnlyList<string> Aliases { get; } = ["twin", "relationship", "telemetry", "lifecycle", "alert"];

    private const int AllTypes = 0x7F;

    private readonly TwinGraph _graph;
    private readonly ModelCatalog _models;
    private readonly HashSet<string>? _twinIds;
    private readonly int _types;
    private readonly Dtmi? _model;
    private readonly QueryCondition? _where;

    // The catalog hands out one descendant set per snapshot; it is copied to strings only when the catalog changed.
    // One reference, so concurrent publishers never see a source paired with another source's ids.
    private volatile ModelIdSet? _modelIds;

    private TwinEventFilter(TwinGraph graph, ModelCatalog models, HashSet<string>? twinIds, int types, Dtmi? model, QueryCondition? where) =>
        (_graph, _models, _twinIds, _types, _model, _where) = (graph, models, twinIds, types, model, where);

    /// <summary>Checks and builds a filter; every criterion is optional and all given ones must hold.</summary>
    /// <param name="graph">Where the twin's current document is read for <paramref name="where"/>.</param>
    /// <param name="models">The catalog, for <paramref name="model"/> and IS_OF_MODEL.</param>
    /// <param name="twinIds">The event's twin (the source twin of a relationship event) is one of these.</param>
    /// <param name="model">The event's twin is of this model or one that extends it.</param>
    /// <param name="types">CloudEvents types, or the aliases twin, relationship, telemetry, lifecycle (create and delete of twins and relationships) and alert (raised, acknowledged, resolved).</param>
    /// <param name="where">An ADT WHERE condition, true for the twin's current document (the deleted document for Twin.Delete).</param>
    /// <param name="limits">Query limits for <paramref name="where"/>.</param>
    public static Result<TwinEventFilter> Create(TwinGraph graph, ModelCatalog models, IEnumerable<string>? twinIds = null, string? model = null, IEnumerable<string>? types = null, string? where = null, QueryLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(models);
        HashSet<string>? ids = null;
        if (twinIds is not null)
        {
            ids = new HashSet<string>(twinIds.Where(id => id.Length > 0), StringComparer.Ordinal);
            ids = ids.Count > 0 ? ids : null;
        }
        var mask = 0;
        foreach (var type in types ?? [])
        {
            var bits = TypeBits(type);
            if (bits == 0)
            {
                return Result<TwinEventFilter>.Fail("InvalidArgument", $"'{type}' is not an event type: use {string.Join(", ", Aliases)} or one of {string.Join(", ", TwinEventTypes.All)}.");
            }
            mask |= bits;
        }
        Dtmi? dtmi = null;
        if (!string.IsNullOrWhiteSpace(model))
        {
            if (!model.StartsWith("dtmi:", StringComparison.Ordinal) || !model.Contains(';', StringComparison.Ordinal))
            {
                return Result<TwinEventFilter>.Fail("InvalidArgument", $"'{model}' is not a model id such as dtmi:example:Room;1.");
            }
            dtmi = new Dtmi(model);
        }
        QueryCondition? condition = null;
        if (!string.IsNullOrWhiteSpace(where))
        {
            var parsed = QueryCondition.Parse(where, dtmi => ModelIds(models.SelfAndDescendants(new Dtmi(dtmi))), limits);
            if (!parsed.IsSuccess)
            {
                return parsed.Error;
            }
            condition = parsed.Value;
        }
        return Result<TwinEventFilter>.Ok(new TwinEventFilter(graph, models, ids, mask == 0 ? AllTypes : mask, dtmi, condition));
    }

    /// <summary>True when the event passes every criterion.</summary>
    public bool Matches(TwinEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (_twinIds is not null && !_twinIds.Contains(e.TwinId))
        {
            return false;
        }
        if ((_types & TypeBits(e.Type)) == 0)
        {
            return false;
        }
        if (_model is not null && !IsOfModel(e.ModelId))
        {
            return false;
        }
        return _where is null || MatchesCondition(e);
    }

    private bool IsOfModel(string modelId)
    {
        var descendants = _models.SelfAndDescendants(_model!);
        if (descendants.Count == 1)
        {
            // An unknown model (a fresh set each call) or one nobody extends.
            return string.Equals(modelId, _model!.Value, StringComparison.Ordinal);
        }
        var cached = _modelIds;
        if (cached is null || !ReferenceEquals(cached.Source, descendants))
        {
            cached = new ModelIdSet(descendants, ModelIds(descendants));
            _modelIds = cached;
        }
        return cached.Ids.Contains(modelId);
    }

    private bool MatchesCondition(TwinEvent e)
    {
        if (e.Type == TwinEventTypes.TwinDelete)
        {
            return JsonNode.Parse(e.Data.Span) is JsonObject deleted && _where!.Matches(deleted);
        }
        return _graph.TryGetTwin(e.TwinId, out var twin) && _where!.Matches(twin);
    }

    private static HashSet<string> ModelIds(IReadOnlySet<Dtmi> models)
    {
        var ids = new HashSet<string>(models.Count, StringComparer.Ordinal);
        foreach (var model in models)
        {
            ids.Add(model.Value);
        }
        return ids;
    }

    private sealed record ModelIdSet(IReadOnlySet<Dtmi> Source, HashSet<string> Ids);

    private static int TypeBits(string type) => type switch
    {
        TwinEventTypes.TwinCreate => 1,
        TwinEventTypes.TwinUpdate => 2,
        TwinEventTypes.TwinDelete => 4,
        TwinEventTypes.RelationshipCreate => 8,
        TwinEventTypes.RelationshipUpdate => 16,
        TwinEventTypes.RelationshipDelete => 32,
        TwinEventTypes.Telemetry => 64,
        "twin" => 1 | 2 | 4,
        "relationship" => 8 | 16 | 32,
        "telemetry" => 64,
        "lifecycle" => 1 | 4 | 8 | 32,
        // Alert events (doppel.alert.*) come only to streams that ask for them, so existing subscribers see what they saw.
        "alert" or "doppel.alert.raised" or "doppel.alert.acknowledged" or "doppel.alert.resolved" => 128,
        _ => 0,
    };
}
