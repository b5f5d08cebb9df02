namespace Doppel.Estimation;

/// <summary>
/// A deterministic model step: writes the state at <paramref name="t"/> + <paramref name="dt"/> into
/// <paramref name="next"/> from the state <paramref name="x"/> at <paramref name="t"/>.
/// </summary>
public delegate void StateTransition(double t, double dt, ReadOnlySpan<double> x, Span<double> next);
