using System.Text.Json.Nodes;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs;

/// <summary>A scenario file read by its kind: the pack and kind it belongs to, the run's name (the file's <c>name</c>), and the plan.</summary>
public sealed record PreparedExperiment(Pack Pack, IExperimentKind Kind, string? Name, IExperimentPlan Plan)
{
    /// <summary>The same experiment with other run settings; they must be valid (<see cref="RunSettings.Validate"/>).</summary>
    public PreparedExperiment WithRun(RunSettings run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(run));
        }
        return this with { Plan = Plan.WithRun(run) };
    }

    /// <summary>Runs it and returns the result as it leaves a host (<see cref="ExperimentJson.Seal"/>).</summary>
    public JsonObject Execute(IProgress<ExperimentProgress>? progress, CancellationToken ct) => ExperimentJson.Seal(Plan.Execute(progress, ct), Kind.Name, Plan.Run);
}
