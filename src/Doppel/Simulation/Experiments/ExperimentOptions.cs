namespace Doppel.Simulation.Experiments;

/// <summary>How an experiment runs: seed, replications, common random numbers, confidence level, parallelism.</summary>
public sealed record ExperimentOptions
{
    /// <summary>The experiment seed; every replication's seeds derive from it (see <see cref="SeedSequence"/>).</summary>
    public ulong Seed { get; init; }

    /// <summary>Replications per scenario (with <see cref="Stopping"/>, the first round).</summary>
    public int Replications { get; init; } = 10;

    /// <summary>Whether replication r of every scenario gets the same seeds, so scenario comparisons are paired.</summary>
    public bool CommonRandomNumbers { get; init; } = true;

    /// <summary>The confidence level of intervals and comparisons.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Replications run at once; results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Keep adding replications until intervals are tight; null runs exactly <see cref="Replications"/>.</summary>
    public SequentialStopping? Stopping { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Replications, 1, nameof(Replications));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDegreeOfParallelism, 1, nameof(MaxDegreeOfParallelism));
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel, "A confidence level is between 0 and 1, exclusive.");
        }
        if (Stopping is { } stopping)
        {
            stopping.Validate();
            ArgumentOutOfRangeException.ThrowIfLessThan(Replications, 2, nameof(Replications));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(Replications, stopping.MaxReplications, nameof(Replications));
        }
    }
}
