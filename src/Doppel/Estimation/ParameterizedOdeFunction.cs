namespace Doppel.Estimation;

/// <summary>dx/dt = f(t, x; θ): an ODE whose unknown parameters θ a filter estimates with the state.</summary>
public delegate void ParameterizedOdeFunction(double t, ReadOnlySpan<double> x, ReadOnlySpan<double> parameters, Span<double> dxdt);
