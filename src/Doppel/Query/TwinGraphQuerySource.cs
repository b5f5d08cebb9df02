using System.Text.Json.Nodes;
using Doppel.Twins;

namespace Doppel.Query;

/// <summary>The live <see cref="TwinGraph"/> as a query source; the engine also plans with the graph's indexes through it.</summary>
/// <param name="graph">The graph; reads are snapshots, so queries see every write that completed before they started.</param>
/// <param name="modelAndSubtypes">The model and its descendants (the model catalog's view).</param>
/// <param name="visibility">What the reader may see; null for everything.</param>
public sealed class TwinGraphQuerySource(TwinGraph graph, Func<string, IReadOnlySet<string>> modelAndSubtypes, TwinVisibility? visibility = null) : IQuerySource
{
    internal TwinGraph Graph { get; } = graph;

    internal TwinVisibility? Visibility { get; } = visibility;

    /// <inheritdoc/>
    public IEnumerable<JsonObject> TwinsAfter(string? afterDtId)
    {
        foreach (var twin in Graph.TwinsAfter(afterDtId))
        {
            if (Visible(twin) is { } json)
            {
                yield return json;
            }
        }
    }

    /// <inheritdoc/>
    public IReadOnlySet<string> ModelAndSubtypes(string dtmi) => modelAndSubtypes(dtmi);

    /// <inheritdoc/>
    public JsonObject? Twin(string dtId) => Graph.TryGetTwin(dtId, out var twin) ? Visible(twin) : null;

    /// <inheritdoc/>
    public IEnumerable<JsonObject> Relationships(string dtId)
    {
        foreach (var r in Graph.Outgoing(dtId))
        {
            if (Visibility?.Relationship(r) ?? true)
            {
                yield return r.ToJson();
            }
        }
    }

    /// <inheritdoc/>
    public IEnumerable<JsonObject> IncomingRelationships(string dtId)
    {
        foreach (var r in Graph.Incoming(dtId))
        {
            if (Visibility?.Relationship(r) ?? true)
            {
                yield return r.ToJson();
            }
        }
    }

    private JsonObject? Visible(TwinDocument twin) =>
        Visibility is null ? twin.ToJson()
        : !Visibility.Twin(twin) ? null
        : Visibility.Redact?.Invoke(twin) ?? twin.ToJson();
}
