namespace Doppel.Packs.Health.Glucose;

/// <summary>
/// One setting of simglucose's closed loop for a list of patients, as the peer's <c>run_cohort.py</c> takes it: every
/// patient gets the same sensor (and noise seed), pump, random meal scenario (seed) and basal-bolus controller.
/// </summary>
public sealed record SimglucoseRun(IReadOnlyList<PatientParameters> Patients, TimeSpan Duration, DateTime Start)
{
    /// <summary>The RandomScenario seed.</summary>
    public uint ScenarioSeed { get; init; } = 1;

    /// <summary>The CGM sensor.</summary>
    public string Sensor { get; init; } = "Dexcom";

    /// <summary>The sensor's noise seed.</summary>
    public uint SensorSeed { get; init; } = 1;

    /// <summary>The insulin pump.</summary>
    public string Pump { get; init; } = "Insulet";

    /// <summary>The basal-bolus controller's target (mg/dL).</summary>
    public double Target { get; init; } = 140;

    /// <summary>Runs the loop in Doppel for each patient, one after another (or over <paramref name="parallelism"/> threads); an unknown sensor or pump is an error.</summary>
    public Result<IReadOnlyList<GlucoseTrace>> RunDoppel(int parallelism = 1, CancellationToken ct = default)
    {
        if (CgmSensor.Create(Sensor, SensorSeed) is { IsSuccess: false } sensorError)
        {
            return sensorError.Error;
        }
        if (InsulinPump.Create(Pump) is { IsSuccess: false } pumpError)
        {
            return pumpError.Error;
        }
        var scenario = new RandomMealScenario(Start, ScenarioSeed);
        var traces = new GlucoseTrace[Patients.Count];
        Parallel.For(0, Patients.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = ct }, i =>
        {
            var simulation = new GlucoseSimulation(
                new VirtualPatient(Patients[i]),
                CgmSensor.Create(Sensor, SensorSeed).Value!,
                InsulinPump.Create(Pump).Value!,
                scenario,
                new BasalBolusController(Target),
                Start);
            traces[i] = simulation.Run(Duration, ct);
        });
        return Result<IReadOnlyList<GlucoseTrace>>.Ok(traces);
    }
}
