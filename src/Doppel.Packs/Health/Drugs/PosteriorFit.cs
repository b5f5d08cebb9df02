namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// A patient's posterior from their levels: the MAP random effects η̂, the Laplace covariance (the inverse Hessian of
/// −log posterior at the mode), the individual parameters at the mode, and how the search ended.
/// </summary>
public sealed record PosteriorFit(
    PopulationModel Model,
    IReadOnlyDictionary<string, double> Covariates,
    IReadOnlyList<Dose> Doses,
    IReadOnlyList<Level> Levels,
    double[] Eta,
    double[,] Covariance,
    PkParameters Parameters,
    double Objective,
    int Iterations,
    bool Converged)
{
    /// <summary>The posterior standard deviation of ηₖ.</summary>
    public double EtaSd(int k) => Math.Sqrt(Covariance[k, k]);

    /// <summary>The individual's parameters for a draw of η from the Laplace posterior.</summary>
    public PkParameters ParametersFor(ReadOnlySpan<double> eta) => Model.Individual(Covariates, eta);
}
