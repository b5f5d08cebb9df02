using Doppel.History;
using Doppel.Modeling;
using Doppel.Twins;

namespace Doppel.Packs;

/// <summary>What a scenario kind reads from the host: the twin graph, the models, and where twins stood at a past time.</summary>
public sealed class ScenarioContext(TwinGraph graph, ModelCatalog models, IHistoryStore history)
{
    /// <summary>The live twins and relationships (read only: a scenario never writes to twins).</summary>
    public TwinGraph Graph { get; } = graph;

    public ModelCatalog Models { get; } = models;

    /// <summary>The newest point at or before <paramref name="at"/> of each named property or telemetry of each twin (<see cref="IHistoryStore.LatestAtAsync"/>).</summary>
    public Task<IReadOnlyList<HistoryPoint>> LatestAtAsync(IReadOnlyList<string> twinIds, IReadOnlyList<string> names, DateTimeOffset at, CancellationToken ct) =>
        history.LatestAtAsync(twinIds, names, at, ct);

    /// <summary>Whether the twin's model is <paramref name="model"/> or extends it.</summary>
    public bool IsOfModel(TwinDocument twin, string model)
    {
        ArgumentNullException.ThrowIfNull(twin);
        return twin.Model.Value == model || Models.SelfAndDescendants(new Dtmi(model)).Contains(twin.Model);
    }
}
