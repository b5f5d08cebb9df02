using Doppel.Packs.Health.Glucose;

namespace Doppel.Packs.Health.Trials;

/// <summary>A treatment arm of a trial: its name and a fresh controller for a patient (controllers keep state, so each run gets its own).</summary>
public sealed record TrialController(string Name, Func<PatientParameters, IGlucoseController> Create);
