namespace Doppel.Simulation.Continuous;

/// <summary>The right-hand side of y' = f(t, y): writes f(t, y) into <paramref name="dydt"/> without allocating.</summary>
public delegate void OdeFunction(double t, ReadOnlySpan<double> y, Span<double> dydt);
