namespace Doppel.Estimation;

/// <summary>How an <see cref="EnsembleKalmanFilter"/> runs; defaults written down once here.</summary>
public sealed record EnsembleOptions
{
    /// <summary>The number of members N (at least 2).</summary>
    public int Members { get; init; } = 20;

    /// <summary>The analysis scheme.</summary>
    public EnsembleVariant Variant { get; init; } = EnsembleVariant.Etkf;

    /// <summary>Multiplicative inflation of the analysis anomalies (1: none), against the spread a small ensemble loses.</summary>
    public double Inflation { get; init; } = 1;

    /// <summary>Applies a random mean-preserving rotation to the analysis anomalies, as DAPPER's <c>rot=True</c>.</summary>
    public bool RandomRotation { get; init; }

    /// <summary>Distance-based localisation (null: global analysis).</summary>
    public Localization? Localization { get; init; }

    /// <summary>The seed of the initial draw, the perturbed observations and the rotations.</summary>
    public ulong Seed { get; init; }

    /// <summary>Propagates members on several threads (the model's transition must then be thread-safe, as <see cref="StateSpaceModel.FromOde"/>'s is).</summary>
    public bool Parallel { get; init; }
}
