using Doppel.Packs.Health.Glucose;

namespace Doppel.Packs.Health.Patients;

/// <summary>A patient of the sample a demo plays: the twins it reports to, its parameters, its sensor's and pump's kinds.</summary>
public sealed record DemoPatient(string PatientId, string SensorId, string PumpId, PatientParameters Parameters, string Sensor, string Pump);
