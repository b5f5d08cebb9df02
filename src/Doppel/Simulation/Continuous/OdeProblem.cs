namespace Doppel.Simulation.Continuous;

/// <summary>An initial value problem y' = f(t, y), y(<see cref="StartTime"/>) = <see cref="InitialState"/>.</summary>
public sealed record OdeProblem(OdeFunction Function, double StartTime, IReadOnlyList<double> InitialState)
{
    /// <summary>The exact Jacobian for implicit solvers; finite differences are used when it is null.</summary>
    public OdeJacobian? Jacobian { get; init; }

    /// <summary>Zero crossings to detect while integrating, reported by their index in this list.</summary>
    public IReadOnlyList<ZeroCrossing> Events { get; init; } = [];
}
