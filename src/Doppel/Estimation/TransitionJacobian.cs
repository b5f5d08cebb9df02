namespace Doppel.Estimation;

/// <summary>
/// The Jacobian of a <see cref="StateTransition"/> at <paramref name="x"/>, row-major n × n:
/// <c>jacobian[i * n + j]</c> = ∂next_i / ∂x_j.
/// </summary>
public delegate void TransitionJacobian(double t, double dt, ReadOnlySpan<double> x, Span<double> jacobian);
