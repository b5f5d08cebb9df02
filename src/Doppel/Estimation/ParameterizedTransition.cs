namespace Doppel.Estimation;

/// <summary>A model step x(t + dt) = f(t, dt, x; θ) whose unknown parameters θ a filter estimates with the state.</summary>
public delegate void ParameterizedTransition(double t, double dt, ReadOnlySpan<double> x, ReadOnlySpan<double> parameters, Span<double> next);
