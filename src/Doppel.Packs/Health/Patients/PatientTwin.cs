namespace Doppel.Packs.Health.Patients;

/// <summary>The health sample's models as the live patient twin reads and writes them (samples/health/models.json).</summary>
public static class PatientTwin
{
    public const string ModelId = "dtmi:doppel:health:Patient;1";

    public const string SensorModelId = "dtmi:doppel:health:CgmSensor;1";

    public const string PumpModelId = "dtmi:doppel:health:InsulinPump;1";

    /// <summary>The patient's relationship to its CGM.</summary>
    public const string SensorRelationship = "sensor";

    /// <summary>The patient's relationship to its pump.</summary>
    public const string PumpRelationship = "pump";

    /// <summary>The patient's property naming its UVA/Padova parameter set (a simglucose virtual patient).</summary>
    public const string Profile = "profile";

    /// <summary>The CGM's telemetry (mg/dL).</summary>
    public const string Glucose = "glucose";

    /// <summary>The patient's telemetry: a meal announced (g).</summary>
    public const string Carbs = "carbs";

    /// <summary>The pump's telemetry: the basal rate from now on (U/h).</summary>
    public const string Basal = "basal";

    /// <summary>The pump's telemetry: a bolus (U).</summary>
    public const string Bolus = "bolus";

    /// <summary>The alert raised before a hypoglycaemia (its rule id is <c>follower:health/patient-twin/predicted-hypo</c>).</summary>
    public const string HypoAlert = "predicted-hypo";

    /// <summary>The lowest and highest glucose a CGM reports (mg/dL); a reading outside is refused.</summary>
    public const double MinReading = 20;

    public const double MaxReading = 600;
}
