using Doppel.Simulation.Experiments;

namespace Doppel.Simulation.Optimization;

/// <summary>
/// The outcome of a CMA-ES search. <see cref="Best"/> is the best candidate sampled, by its mean over one generation's
/// replications; on a noisy objective that mean is flattered by selection, and the final distribution
/// <see cref="Mean"/>, which averages many good candidates, is usually the better estimate of the optimum.
/// </summary>
/// <param name="Best">The best feasible candidate evaluated; null when none met the constraints.</param>
/// <param name="BestObjective">Its objective over its generation's replications; null with <paramref name="Best"/>.</param>
/// <param name="Mean">The final mean of the search distribution, within the bounds (it may miss a constraint).</param>
/// <param name="Generations">Generations run.</param>
/// <param name="Evaluations">Objective calls (candidates × replications; infeasible candidates are not evaluated).</param>
/// <param name="StepSize">The distribution's final largest standard deviation, as a fraction of the bounds' width.</param>
/// <param name="Stop">Why the search ended.</param>
public sealed record CmaEsResult(IReadOnlyList<double>? Best, KpiSummary? BestObjective, IReadOnlyList<double> Mean, int Generations, int Evaluations, double StepSize, CmaEsStop Stop);
