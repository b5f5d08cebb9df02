namespace Doppel.Estimation;

/// <summary>How a <see cref="ParticleFilter"/> runs; defaults written down once here.</summary>
public sealed record ParticleFilterOptions
{
    /// <summary>The number of particles N (at least 2).</summary>
    public int Particles { get; init; } = 1000;

    /// <summary>Resample when the effective sample size 1/Σw² falls to this fraction of N or below (DAPPER's NER).</summary>
    public double ResamplingThreshold { get; init; } = 0.5;

    /// <summary>
    /// The regularisation (jitter) after resampling, DAPPER's <c>reg</c>: duplicated particles move by Gaussian noise
    /// whose covariance is the weighted ensemble covariance times (reg · N^(−1/(n+4)))² (Scott's bandwidth); 0: none.
    /// </summary>
    public double Regularization { get; init; }

    /// <summary>The seed of the initial draw, the resampling and the jitter.</summary>
    public ulong Seed { get; init; }

    /// <summary>Propagates particles on several threads (the model's transition must then be thread-safe).</summary>
    public bool Parallel { get; init; }
}
