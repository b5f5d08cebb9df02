namespace Doppel.Packs.Foresight;

/// <summary>How hard the planner searches: the genetic search's candidates per generation and generations, and the most plans the local search may evaluate.</summary>
public sealed record MaintenanceSearch(int Population = 24, int Generations = 20, int LocalEvaluations = 5_000);
