namespace Doppel.Analytics.Rul;

/// <summary>
/// One unit's history: rows in cycle order, each holding the values of <see cref="Channels"/> in that order.
/// In training data the last row is the cycle at which the unit failed.
/// </summary>
public sealed record Trajectory(string Unit, IReadOnlyList<string> Channels, double[][] Rows);
