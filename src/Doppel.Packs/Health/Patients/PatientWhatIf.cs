namespace Doppel.Packs.Health.Patients;

/// <summary>
/// One what-if on a patient from their estimated state: a bolus or a meal now, a basal rate from now on, planned
/// events left out (by name) or added.
/// </summary>
/// <param name="Name">What the result calls it ("3 U bolus now").</param>
/// <param name="Bolus">A bolus now (U), or 0.</param>
/// <param name="Carbs">A meal now (g), or 0.</param>
/// <param name="Basal">The basal rate from now on (U/h), or null to keep the one in force.</param>
/// <param name="Skip">Names of planned events left out ("snack").</param>
/// <param name="Add">Events added to the plan.</param>
public sealed record PatientWhatIf(string Name, double Bolus, double Carbs, double? Basal, IReadOnlyList<string> Skip, IReadOnlyList<PlannedEvent> Add);
