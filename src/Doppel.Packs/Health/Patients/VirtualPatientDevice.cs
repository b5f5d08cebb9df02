using Doppel.Packs.Health.Glucose;

namespace Doppel.Packs.Health.Patients;

/// <summary>
/// A virtual patient wearing a CGM and an insulin pump, as a device would report them: the glucose simulator's
/// patient (UVA/Padova, simglucose's) stepped minute by minute, its sensor's noise (seeded), meals from a scenario, and
/// basal-bolus therapy (the patient's basal rate; at each meal a bolus of carbs / carb ratio plus a correction above
/// 150 mg/dL, given when the meal is announced), plus any extra doses (<see cref="Doses"/>: an overdose, a forgotten
/// correction). A reading every 5 minutes.
/// </summary>
public sealed class VirtualPatientDevice
{
    /// <summary>Minutes between readings.</summary>
    public const int SampleMinutes = 5;

    private readonly VirtualPatient _patient;
    private readonly CgmSensor _sensor;
    private readonly InsulinPump _pump;
    private readonly IMealScenario _meals;
    private readonly BasalBolusController _therapy = new();
    private readonly DateTimeOffset _start;
    private double _lastCgm;

    /// <param name="patient">The virtual patient (its parameters and steady state).</param>
    /// <param name="sensor">Its CGM, seeded.</param>
    /// <param name="pump">Its pump.</param>
    /// <param name="meals">When it eats (minutes from <paramref name="start"/>).</param>
    /// <param name="start">The time of its first reading.</param>
    public VirtualPatientDevice(PatientParameters patient, CgmSensor sensor, InsulinPump pump, IMealScenario meals, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(patient);
        _patient = new VirtualPatient(patient);
        _sensor = sensor ?? throw new ArgumentNullException(nameof(sensor));
        _pump = pump ?? throw new ArgumentNullException(nameof(pump));
        _meals = meals ?? throw new ArgumentNullException(nameof(meals));
        _start = start;
        _lastCgm = _sensor.Measure(_patient);
        FirstReading = _lastCgm;
    }

    /// <summary>Extra boluses (U) given at these times after the start, on top of the therapy.</summary>
    public IReadOnlyList<(TimeSpan After, double Units)> Doses { get; init; } = [];

    public PatientParameters Patient => _patient.Parameters;

    /// <summary>The reading at the start.</summary>
    public double FirstReading { get; }

    /// <summary>The time of the first reading.</summary>
    public DateTimeOffset Start => _start;

    /// <summary>The patient's true glucose now (mg/dL).</summary>
    public double Glucose => _patient.Glucose;

    /// <summary>The time of the patient now.</summary>
    public DateTimeOffset Now => _start.AddMinutes(_patient.Time);

    /// <summary>The next five minutes: dose, eat, step the patient, read the sensor.</summary>
    public PatientStep Next()
    {
        var time = Now;
        var meals = new List<(DateTimeOffset, double)>();
        double announced = 0;
        for (var i = 0; i < SampleMinutes; i++)
        {
            var grams = _meals.CarbsAt(time.AddMinutes(i).UtcDateTime);
            if (grams > 0)
            {
                meals.Add((time.AddMinutes(i), grams));
                announced += grams;
            }
        }
        var action = _therapy.Decide(new ControllerObservation(time.UtcDateTime, _lastCgm, announced / SampleMinutes, _patient.Parameters, SampleMinutes));
        var basal = _pump.Basal(action.Basal);
        var extra = Doses.Where(d => Math.Abs((_start + d.After - time).TotalMinutes) < SampleMinutes / 2.0).Sum(d => d.Units);
        var bolus = action.Bolus * SampleMinutes + extra > 0 ? _pump.Bolus(action.Bolus * SampleMinutes + extra) : 0;
        for (var i = 0; i < SampleMinutes; i++)
        {
            var grams = _meals.CarbsAt(time.AddMinutes(i).UtcDateTime);
            _patient.Step(grams, basal + (i == 0 ? bolus : 0));
            // Every minute, so that a sensor reading more often than every 5 minutes keeps its noise sequence.
            _lastCgm = _sensor.Measure(_patient);
        }
        return new PatientStep(time, basal * 60, bolus, meals, Now, _lastCgm, _patient.Glucose);
    }
}
