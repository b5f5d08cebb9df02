namespace Doppel.Analytics.Rul;

/// <summary>
/// How a predictor did on a set of units: root mean squared error in cycles, the NASA score (the sum of
/// <see cref="NasaScore.Of"/> over the units), the share of true RULs inside the intervals, and the number of units.
/// </summary>
public sealed record RulMetrics(double Rmse, double Score, double Coverage, int Units);
