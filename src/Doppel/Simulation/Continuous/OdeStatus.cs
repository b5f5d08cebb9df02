namespace Doppel.Simulation.Continuous;

/// <summary>How a call of <see cref="OdeSolver.IntegrateTo"/> ended.</summary>
public enum OdeStatus
{
    /// <summary>The solver reached the requested end time.</summary>
    ReachedEnd,

    /// <summary>A terminal event stopped the solver at the event time.</summary>
    TerminalEvent,

    /// <summary>The solver used <see cref="OdeOptions.MaxSteps"/> attempts without reaching the end.</summary>
    TooManySteps,

    /// <summary>The step size fell below the resolution of t (a singularity or an unreachable tolerance).</summary>
    StepSizeTooSmall,
}
