namespace Doppel.Simulation.Continuous;

/// <summary>An event found while integrating: which zero crossing, when, and the state then.</summary>
public sealed record OdeEventHit(int Index, double Time, IReadOnlyList<double> State, bool Terminal);
