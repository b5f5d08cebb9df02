namespace Doppel.Simulation.Continuous;

/// <summary>The outcome of <see cref="OdeSolver.IntegrateTo"/>: why it stopped and at which time.</summary>
public readonly record struct OdeResult(OdeStatus Status, double Time)
{
    /// <summary>True when the solver reached the end time or stopped at a terminal event.</summary>
    public bool Succeeded => Status is OdeStatus.ReachedEnd or OdeStatus.TerminalEvent;
}
