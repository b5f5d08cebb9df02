namespace Doppel.Simulation.Optimization;

/// <summary>Settings of <see cref="CmaEsOptimizer"/>; the strategy's own parameters follow from the dimension and the population size.</summary>
public sealed record CmaEsOptions
{
    public ulong Seed { get; init; } = 1;

    /// <summary>Replications per candidate, averaged; within a generation every candidate gets the same seeds, and each generation fresh ones.</summary>
    public int Replications { get; init; } = 5;

    /// <summary>Candidates per generation (λ); null for the default 4 + ⌊3 ln n⌋. Larger helps on noisy or multimodal objectives.</summary>
    public int? PopulationSize { get; init; }

    /// <summary>The initial step size σ as a fraction of each dimension's width (bounds are searched on [0, 1]).</summary>
    public double InitialStepSize { get; init; } = 0.3;

    public int MaxGenerations { get; init; } = 1_000;

    /// <summary>The most objective calls (candidates × replications), checked after each generation; null for no limit.</summary>
    public int? MaxEvaluations { get; init; }

    /// <summary>Stop once the distribution's largest standard deviation is below this fraction of the bounds' width.</summary>
    public double Tolerance { get; init; } = 1e-10;

    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Replications, 1, nameof(Replications));
        if (PopulationSize is { } lambda)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(lambda, 2, nameof(PopulationSize));
        }
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(InitialStepSize, 0, nameof(InitialStepSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxGenerations, 1, nameof(MaxGenerations));
        ArgumentOutOfRangeException.ThrowIfNegative(Tolerance, nameof(Tolerance));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDegreeOfParallelism, 1, nameof(MaxDegreeOfParallelism));
    }
}
