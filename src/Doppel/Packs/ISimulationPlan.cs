using System.Text.Json.Nodes;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs;

/// <summary>A scenario or experiment ready to run: its run settings, how many replications it makes, and the run itself.</summary>
public interface ISimulationPlan
{
    /// <summary>How long and how often it runs (validated before the plan is made).</summary>
    RunSettings Run { get; }

    /// <summary>Replications over all its scenarios: where progress ends.</summary>
    int Total { get; }

    /// <summary>
    /// Runs it, reporting replications done and stopping soon when <paramref name="ct"/> is cancelled, and returns the
    /// result as JSON (a host adds <c>kind</c> and <c>run</c>, and turns numbers that are not finite into null).
    /// Usually <see cref="ExperimentJson.Write"/>'s shape, so that a host prints and plots it with the kind's <see cref="ResultView"/>.
    /// </summary>
    JsonObject Execute(IProgress<ExperimentProgress>? progress, CancellationToken ct);
}
