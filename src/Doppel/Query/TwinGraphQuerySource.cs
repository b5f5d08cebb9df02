using System.Text.Json.Nodes;
using Doppel.Twins;

namespace Doppel.Query;

/// <summary>The live <see cref="TwinGraph"/> as a query source; the engine also plans with the graph's indexes through it.</summary>
/// <param name="graph">The graph; reads are snapshots, so queries see every write that completed before they started.</param>
/// <param name="modelAndSubtypes">The model and its descendants (the model catalog's view).</param>
public sealed class TwinGraphQuerySource(TwinGraph graph, Func<string, IReadOnlySet<string>> modelAndSubtypes) : IQuerySource
{
    internal TwinGraph Graph { get; } = graph;

    /// <inheritdoc/>
    public IEnumerable<JsonObject> TwinsAfter(string? afterDtId)
    {
        foreach (var twin in Graph.TwinsAfter(afterDtId))
        {
            yield return twin.ToJson();
        }
    }

    /// <inheritdoc/>
    public IReadOnlySet<string> ModelAndSubtypes(string dtmi) => modelAndSubtypes(dtmi);

    /// <inheritdoc/>
    public JsonObject? Twin(string dtId) => Graph.TryGetTwin(dtId, out var twin) ? twin.ToJson() : null;

    /// <inheritdoc/>
    public IEnumerable<JsonObject> Relationships(string dtId)
    {
        foreach (var r in Graph.Outgoing(dtId))
        {
            yield return r.ToJson();
        }
    }

    /// <inheritdoc/>
    public IEnumerable<JsonObject> IncomingRelationships(string dtId)
    {
        foreach (var r in Graph.Incoming(dtId))
        {
            yield return r.ToJson();
        }
    }
}
