namespace Doppel.Simulation.Experiments;

/// <summary>How far an experiment is: replications completed of those planned so far (sequential stopping plans more as it goes).</summary>
public readonly record struct ExperimentProgress(int Completed, int Total);
