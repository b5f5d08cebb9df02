namespace Doppel.Packs.Health.Glucose;

/// <summary>
/// What a controller sees before each sensor step, as simglucose's observation and <c>info</c>: the time, the CGM
/// reading (the mean over the step just done), the carbohydrate of that step (g/min, simglucose's <c>info['meal']</c>),
/// the patient and the step length (minutes).
/// </summary>
public readonly record struct ControllerObservation(DateTime Time, double Cgm, double Meal, PatientParameters Patient, double SampleTime);
