namespace Doppel.Simulation.Continuous;

/// <summary>
/// The Jacobian ∂f/∂y at (t, y), written row-major into <paramref name="dfdy"/> (element [i, j] at i·n + j).
/// </summary>
public delegate void OdeJacobian(double t, ReadOnlySpan<double> y, Span<double> dfdy);
