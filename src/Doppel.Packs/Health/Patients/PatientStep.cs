namespace Doppel.Packs.Health.Patients;

/// <summary>
/// Five minutes of a virtual patient: what the pump delivers and the patient eats from <see cref="Time"/> on, then the
/// CGM reading at the end (and, for checking a twin against the truth, the blood glucose the sensor saw).
/// </summary>
/// <param name="Time">When the five minutes start.</param>
/// <param name="Basal">The basal rate from then on (U/h).</param>
/// <param name="Bolus">The bolus delivered in the first minute (U; 0 for none).</param>
/// <param name="Meals">Meals announced in the five minutes (their minute, grams of carbohydrate).</param>
/// <param name="ReadingTime">When the reading is taken: five minutes after <see cref="Time"/>.</param>
/// <param name="Cgm">The CGM reading (mg/dL), with the sensor's noise.</param>
/// <param name="Glucose">The patient's true (subcutaneous) glucose then (mg/dL), as simglucose's BG.</param>
public sealed record PatientStep(DateTimeOffset Time, double Basal, double Bolus, IReadOnlyList<(DateTimeOffset Time, double Grams)> Meals, DateTimeOffset ReadingTime, double Cgm, double Glucose);
