namespace Doppel.Simulation.Continuous.Internal;

/// <summary>The outcome of one step attempt of a solver.</summary>
internal enum StepAttempt
{
    Accepted,
    Rejected,
    StepSizeTooSmall,
}
