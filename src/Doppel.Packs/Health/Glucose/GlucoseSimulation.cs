namespace Doppel.Packs.Health.Glucose;

/// <summary>
/// A closed loop as simglucose's <c>T1DSimEnv</c> driven by <c>SimObj.simulate</c>: each step lasts the sensor's sample
/// time and is that many one-minute sub-steps (the scenario's meal at that minute, the pump's rounding of the
/// controller's basal and bolus, one minute of the patient, a CGM reading); the controller decides once a step from the
/// step's mean CGM and carbohydrate. The rows are simglucose's history.
/// </summary>
public sealed class GlucoseSimulation
{
    private readonly VirtualPatient _patient;
    private readonly CgmSensor _sensor;
    private readonly InsulinPump _pump;
    private readonly IMealScenario _scenario;
    private readonly IGlucoseController _controller;
    private readonly DateTime _start;

    /// <summary>A loop starting at <paramref name="start"/> (the patient's time 0). Running it advances the patient: run a <see cref="VirtualPatient.Clone"/> to keep the original.</summary>
    public GlucoseSimulation(VirtualPatient patient, CgmSensor sensor, InsulinPump pump, IMealScenario scenario, IGlucoseController controller, DateTime start)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(sensor);
        ArgumentNullException.ThrowIfNull(pump);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(controller);
        (_patient, _sensor, _pump, _scenario, _controller, _start) = (patient, sensor, pump, scenario, controller, start);
    }

    /// <summary>The patient being simulated.</summary>
    public VirtualPatient Patient => _patient;

    /// <summary>The simulated time now.</summary>
    public DateTime Time => _start.AddMinutes(_patient.Time);

    /// <summary>
    /// Runs steps while the time is before start + <paramref name="duration"/> (so the last step may end after it, as
    /// simglucose's), after resetting the sensor and the controller as simglucose's <c>reset()</c> does.
    /// </summary>
    public GlucoseTrace Run(TimeSpan duration, CancellationToken ct = default)
    {
        if (duration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A simulation lasts 0 or more.");
        }
        _controller.Reset();
        _sensor.Reset();
        var sampleTime = _sensor.SampleTime;
        var subSteps = (int)sampleTime;
        var patientName = _patient.Parameters.Name;

        var rows = new List<GlucoseRow>();
        var bg0 = _patient.Glucose;
        var risk0 = GlucoseRisk.Of(bg0);
        var cgm0 = _sensor.Measure(_patient); // simglucose measures twice at reset: the first reading is the row's,
        rows.Add(new GlucoseRow(Time, bg0, cgm0, null, null, risk0.Lbgi, risk0.Hbgi, risk0.Risk));
        var observation = new ControllerObservation(Time, _sensor.Measure(_patient), 0, _patient.Parameters, sampleTime); // the second the controller's.

        var end = _start + duration;
        var steps = 0;
        while (Time < end)
        {
            if ((++steps & 63) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }
            var action = _controller.Decide(observation);
            double cho = 0, insulin = 0, bg = 0, cgm = 0;
            for (var i = 0; i < subSteps; i++)
            {
                var carbs = _scenario.CarbsAt(Time);
                var delivered = _pump.Basal(action.Basal) + _pump.Bolus(action.Bolus);
                _patient.Step(carbs, delivered);
                var reading = _sensor.Measure(_patient);
                cho += carbs / sampleTime;
                insulin += delivered / sampleTime;
                bg += _patient.Glucose / sampleTime;
                cgm += reading / sampleTime;
            }
            var previous = rows[^1];
            rows[^1] = previous with { Cho = cho, Insulin = insulin };
            var risk = GlucoseRisk.Of(bg);
            rows.Add(new GlucoseRow(Time, bg, cgm, null, null, risk.Lbgi, risk.Hbgi, risk.Risk));
            observation = new ControllerObservation(Time, cgm, cho, _patient.Parameters, sampleTime);
        }
        return new GlucoseTrace(patientName, rows);
    }
}
