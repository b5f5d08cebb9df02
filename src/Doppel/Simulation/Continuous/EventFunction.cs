namespace Doppel.Simulation.Continuous;

/// <summary>A zero-crossing function g(t, y); an event happens where it changes sign.</summary>
public delegate double EventFunction(double t, ReadOnlySpan<double> y);
