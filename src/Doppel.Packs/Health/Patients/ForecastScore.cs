namespace Doppel.Packs.Health.Patients;

/// <summary>
/// How well a patient twin forecast a simulated patient: mean absolute errors of its 30- and 60-minute forecasts
/// against the true glucose then, the share of true values inside the intervals, beside the naive forecast (the last
/// reading held), and the hypoglycaemia warnings.
/// </summary>
/// <param name="Patient">The virtual patient.</param>
/// <param name="Forecasts">Forecasts scored (each reading after the first hour whose 60-minute truth is known).</param>
/// <param name="Mae30">Mean absolute error of the 30-minute forecast (mg/dL).</param>
/// <param name="Mae60">Mean absolute error of the 60-minute forecast (mg/dL).</param>
/// <param name="Coverage30">Share of true values inside the 30-minute interval.</param>
/// <param name="Coverage60">Share of true values inside the 60-minute interval.</param>
/// <param name="NaiveMae30">Mean absolute error of holding the last reading for 30 minutes (mg/dL).</param>
/// <param name="NaiveMae60">Mean absolute error of holding the last reading for 60 minutes (mg/dL).</param>
/// <param name="EstimateMae">Mean absolute error of the estimated glucose now (mg/dL), beside the readings' own.</param>
/// <param name="ReadingMae">Mean absolute error of the CGM readings themselves (mg/dL).</param>
/// <param name="Lows">Episodes of true glucose below 70 after the first hour.</param>
/// <param name="Warned">Those the alert warned of before glucose fell below 70.</param>
/// <param name="LeadMinutes">The warnings' mean lead time (minutes before the fall below 70).</param>
/// <param name="FalseAlerts">Alerts raised with no fall below 70 while they were open and within an hour after.</param>
public sealed record ForecastScore(string Patient, int Forecasts, double Mae30, double Mae60, double Coverage30, double Coverage60, double NaiveMae30, double NaiveMae60,
    double EstimateMae, double ReadingMae, int Lows, int Warned, double LeadMinutes, int FalseAlerts);
