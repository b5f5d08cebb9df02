namespace Doppel.Packs.Health.Glucose;

/// <summary>The insulin a controller asks for over the next step: basal and bolus, both in U/min (the pump rounds and clips them).</summary>
public readonly record struct ControllerAction(double Basal, double Bolus);
