namespace Doppel.Estimation;

/// <summary>
/// The unscented transform's sigma-point spread (Wan and van der Merwe 2000): λ = α²(n + κ) − n. The defaults
/// (α = 1, β = 2, κ = 0) keep every weight non-negative, so the covariances stay positive semi-definite.
/// </summary>
public sealed record UnscentedOptions
{
    /// <summary>The spread of the sigma points around the mean.</summary>
    public double Alpha { get; init; } = 1;

    /// <summary>Prior knowledge of the distribution (2 is optimal for a Gaussian).</summary>
    public double Beta { get; init; } = 2;

    /// <summary>The secondary scaling parameter.</summary>
    public double Kappa { get; init; }
}
