using System.Text.Json.Nodes;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs;

/// <summary>A fork prepared by its kind: the pack and kind, the run's name (the request's <c>name</c>), and the plan.</summary>
public sealed record PreparedScenario(Pack Pack, IScenarioKind Kind, string? Name, ISimulationPlan Plan)
{
    /// <summary>Runs it and returns the result as it leaves a host (<see cref="ExperimentJson.Seal"/>).</summary>
    public JsonObject Execute(IProgress<ExperimentProgress>? progress, CancellationToken ct) => ExperimentJson.Seal(Plan.Execute(progress, ct), Kind.Name, Plan.Run);
}
