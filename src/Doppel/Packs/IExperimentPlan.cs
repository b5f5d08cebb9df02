using Doppel.Simulation.Experiments;

namespace Doppel.Packs;

/// <summary>A scenario file read by its kind: runnable, with other run settings (command-line overrides), and perhaps optimizable.</summary>
public interface IExperimentPlan : ISimulationPlan
{
    /// <summary>The same plan with other run settings (already validated).</summary>
    IExperimentPlan WithRun(RunSettings run);

    /// <summary>What the file asks to optimize (<c>doppel optimize FILE</c>), or null when it asks for nothing.</summary>
    IOptimization? Optimization { get; }
}
