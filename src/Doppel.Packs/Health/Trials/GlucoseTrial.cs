using Doppel.Packs.Health.Glucose;
using Doppel.Packs.Health.Trials.Internal;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Health.Trials;

/// <summary>
/// Runs an in-silico trial (<see cref="GlucoseTrialDesign"/>): one closed-loop simulation per cohort patient, scenario,
/// replication and controller, in parallel over cores, each run's seeds derived from the trial's seed and its indices
/// (SplitMix64, <see cref="SeedSequence"/>), so the result is the same for a seed whatever ran where or when.
/// </summary>
public static class GlucoseTrial
{
    /// <summary>Runs the trial; an error when the design, its sensor or its pump cannot be used.</summary>
    public static Result<GlucoseTrialResult> Run(GlucoseTrialDesign design, IProgress<ExperimentProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(design);
        if (design.Validate() is { Count: > 0 } errors)
        {
            return new DoppelError("invalid-trial", string.Join(" ", errors));
        }
        if (CgmSensor.Create(design.Sensor, 0) is { IsSuccess: false } sensorError)
        {
            return sensorError.Error!;
        }
        if (InsulinPump.Create(design.Pump) is { IsSuccess: false } pumpError)
        {
            return pumpError.Error!;
        }

        var plan = Plan(design);
        var runs = new GlucoseTrialRun[plan.Count];
        var completed = 0;
        Parallel.For(0, plan.Count, new ParallelOptions { MaxDegreeOfParallelism = design.Parallelism, CancellationToken = ct }, i =>
        {
            runs[i] = Simulate(design, plan[i], ct);
            progress?.Report(new ExperimentProgress(Interlocked.Increment(ref completed), plan.Count));
        });
        return Result<GlucoseTrialResult>.Ok(Summarise(design, runs));
    }

    /// <summary>
    /// The result of runs made to <paramref name="design"/> (in its order: cohort, patient, scenario, replication,
    /// controller): the arms' means with intervals over patients, the paired comparisons with the first controller.
    /// </summary>
    public static GlucoseTrialResult Summarise(GlucoseTrialDesign design, IReadOnlyList<GlucoseTrialRun> runs)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(runs);
        var (arms, comparisons) = TrialStatistics.Summarise(design, runs);
        return new GlucoseTrialResult(design, runs, arms, comparisons);
    }

    /// <summary>The seeds of a replication: its meals (shared by every patient and controller) and a patient's sensor noise (shared by its controllers).</summary>
    public static (uint Meals, uint Sensor) Seeds(ulong trialSeed, int scenario, int replication, int patient)
    {
        var replicationSeed = SeedSequence.Derive(SeedSequence.Derive(trialSeed, (ulong)scenario), (ulong)replication);
        // numpy's RandomState takes 32-bit seeds; the low half of a SplitMix64 output is as well mixed as the whole.
        return ((uint)SeedSequence.Derive(replicationSeed, 0), (uint)SeedSequence.Derive(SeedSequence.Derive(replicationSeed, 1), (ulong)patient));
    }

    private static List<PlannedRun> Plan(GlucoseTrialDesign design)
    {
        var plan = new List<PlannedRun>();
        var patientIndex = 0;
        foreach (var cohort in design.Cohorts)
        {
            foreach (var patient in cohort.Patients)
            {
                for (var s = 0; s < design.Scenarios.Count; s++)
                {
                    for (var r = 0; r < design.Replications; r++)
                    {
                        var (meals, sensor) = Seeds(design.Seed, s, r, patientIndex);
                        foreach (var controller in design.Controllers)
                        {
                            plan.Add(new PlannedRun(cohort.Name, patient, design.Scenarios[s], controller, r, meals, sensor));
                        }
                    }
                }
                patientIndex++;
            }
        }
        return plan;
    }

    private static GlucoseTrialRun Simulate(GlucoseTrialDesign design, PlannedRun run, CancellationToken ct)
    {
        var sensor = CgmSensor.Create(design.Sensor, run.SensorSeed).Value!;
        var pump = InsulinPump.Create(design.Pump).Value!;
        var meals = run.Scenario.Meals(design.Start, run.MealSeed);
        var controller = run.Controller.Create(run.Patient);
        var simulation = new GlucoseSimulation(new VirtualPatient(run.Patient), sensor, pump, meals, controller, design.Start);
        var trace = simulation.Run(design.Duration, ct);
        var bg = new double[trace.Rows.Count];
        for (var i = 0; i < bg.Length; i++)
        {
            bg[i] = trace.Rows[i].Bg;
        }
        return new GlucoseTrialRun(run.Cohort, run.Patient.Name, run.Scenario.Name, run.Controller.Name, run.Replication, run.MealSeed, run.SensorSeed, GlucoseMetrics.Of(bg))
        {
            Bg = design.KeepTraces ? bg : null,
        };
    }

    private sealed record PlannedRun(string Cohort, PatientParameters Patient, TrialScenario Scenario, TrialController Controller, int Replication, uint MealSeed, uint SensorSeed);
}
