namespace Doppel.Simulation.Optimization;

/// <summary>Why a CMA-ES search ended.</summary>
public enum CmaEsStop
{
    /// <summary>It ran <see cref="CmaEsOptions.MaxGenerations"/>.</summary>
    Generations,

    /// <summary>It made <see cref="CmaEsOptions.MaxEvaluations"/> objective calls.</summary>
    Evaluations,

    /// <summary>The distribution shrank below <see cref="CmaEsOptions.Tolerance"/>: converged.</summary>
    Converged,

    /// <summary>The covariance matrix became too ill-conditioned (above 10¹⁴) for further progress in double precision.</summary>
    IllConditioned,
}
