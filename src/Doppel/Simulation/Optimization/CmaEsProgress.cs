namespace Doppel.Simulation.Optimization;

/// <summary>Where a CMA-ES search stands after a generation: its count, objective calls so far, the best mean yet (NaN if none feasible) and the step size.</summary>
public readonly record struct CmaEsProgress(int Generation, int Evaluations, double BestMean, double StepSize);
