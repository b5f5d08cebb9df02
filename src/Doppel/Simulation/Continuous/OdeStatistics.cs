namespace Doppel.Simulation.Continuous;

/// <summary>Work done by a solver since it was created.</summary>
public readonly record struct OdeStatistics(
    long AcceptedSteps,
    long RejectedSteps,
    long FunctionEvaluations,
    long JacobianEvaluations,
    long LuDecompositions);
