namespace Doppel.Packs.Mobility.Planning;

/// <summary>Settings of <see cref="SignalOptimization"/>.</summary>
public sealed record SignalOptimizationOptions
{
    public ulong Seed { get; init; } = 1;

    /// <summary>CMA-ES generations.</summary>
    public int Generations { get; init; } = 20;

    /// <summary>Replications per candidate in the search (common seeds within a generation).</summary>
    public int Replications { get; init; } = 3;

    /// <summary>Candidates per generation; null for CMA-ES's default 4 + ⌊3 ln n⌋.</summary>
    public int? PopulationSize { get; init; }

    /// <summary>The first step as a fraction of each variable's range: a third of a cycle's offset, a third of the split.</summary>
    public double InitialStepSize { get; init; } = 0.3;

    /// <summary>Replications on fresh seeds that judge the result against the plan in force.</summary>
    public int CheckReplications { get; init; } = 10;

    /// <summary>Where runs end (s); null runs until every vehicle has arrived.</summary>
    public double? End { get; init; }

    public double StepLength { get; init; } = 1;

    /// <summary>The program id of the optimised programs (a new one, so SUMO loads them beside the network's and runs them).</summary>
    public string ProgramId { get; init; } = "optimized";
}
