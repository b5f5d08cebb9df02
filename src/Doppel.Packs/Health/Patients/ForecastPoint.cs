namespace Doppel.Packs.Health.Patients;

/// <summary>Blood glucose at one point of a forecast (mg/dL): the ensemble's median and interval.</summary>
/// <param name="Minutes">Minutes after the forecast's start.</param>
/// <param name="Median">The ensemble's median.</param>
/// <param name="Lower">The interval's lower end.</param>
/// <param name="Upper">The interval's upper end.</param>
public readonly record struct ForecastPoint(double Minutes, double Median, double Lower, double Upper);
