namespace Doppel.Estimation;

/// <summary>The noise-free observation y = h(t, x) of the state <paramref name="x"/> at <paramref name="t"/>.</summary>
public delegate void ObservationFunction(double t, ReadOnlySpan<double> x, Span<double> y);
