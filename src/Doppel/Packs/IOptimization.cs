using Doppel.Simulation.Experiments;

namespace Doppel.Packs;

/// <summary>A search over decision variables that an experiment file asks for (<c>doppel optimize FILE</c>), reported for people.</summary>
public interface IOptimization
{
    /// <summary>What a progress step is (<c>generations</c>).</summary>
    string StepName { get; }

    /// <summary>Steps planned: where progress ends.</summary>
    int Steps { get; }

    /// <summary>Searches, reporting steps done, and returns what it found (with its confirmation) as a report.</summary>
    Report Run(IProgress<ExperimentProgress>? progress, CancellationToken ct);
}
