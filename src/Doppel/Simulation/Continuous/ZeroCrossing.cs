namespace Doppel.Simulation.Continuous;

/// <summary>
/// An event to detect: where <see cref="Function"/> crosses zero in <see cref="Direction"/>. A terminal event stops
/// <see cref="OdeSolver.IntegrateTo"/> at the crossing, so that a hybrid model can change the state there.
/// </summary>
public sealed record ZeroCrossing(EventFunction Function, EventDirection Direction = EventDirection.Both, bool Terminal = false);
