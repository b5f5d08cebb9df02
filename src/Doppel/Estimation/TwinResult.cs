namespace Doppel.Estimation;

/// <summary>
/// What a twin experiment measured: the analysis rmse (the root-mean-square error over state components after each
/// update, averaged over the cycles after burn-in, as DAPPER's <c>rmse.a</c>), the mean analysis spread, and the
/// median time of one forecast-and-analysis cycle.
/// </summary>
public sealed record TwinResult(double AnalysisRmse, double AnalysisSpread, int AssessedCycles, double MedianCycleMilliseconds);
