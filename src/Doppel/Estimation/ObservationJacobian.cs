namespace Doppel.Estimation;

/// <summary>The Jacobian of an <see cref="ObservationFunction"/> at <paramref name="x"/>, row-major m × n.</summary>
public delegate void ObservationJacobian(double t, ReadOnlySpan<double> x, Span<double> jacobian);
