using System.Diagnostics;
using System.Globalization;
using Doppel.Packs.Health.Glucose;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Health.Trials.Internal;

/// <summary>
/// <c>doppel trial glucose</c>: reads the options into a <see cref="GlucoseTrialDesign"/>, runs it with progress on
/// standard error, prints the tables, and writes the plot and the runs when asked. Also the trial section of
/// <c>doppel bench health</c>: the full cohorts with every controller.
/// </summary>
internal static class GlucoseTrialVerb
{
    public static IReadOnlyList<string> ControllerNames { get; } = ["basal-bolus", "pid", "mpc"];

    public static PackVerb Create() => new("glucose", "Compare glucose controllers on virtual type 1 diabetes cohorts (UVA/Padova, simglucose's patients): time in range, hypo- and hyperglycaemia, LBGI/HBGI, CVGA, with confidence intervals and paired comparisons.", RunAsync)
    {
        Options =
        [
            new VerbOption("cohorts", "Cohorts, comma separated: adults, adolescents, children.", VerbValue.Text) { Default = "adults,adolescents,children" },
            new VerbOption("patients", "Patients per cohort (the first N; all 10 when not given).", VerbValue.Number),
            new VerbOption("controllers", "Controllers, comma separated, the first the baseline: basal-bolus, pid, mpc.", VerbValue.Text) { Default = "basal-bolus,pid,mpc" },
            new VerbOption("scenario", "Meal scenarios, comma separated: random (simglucose's), custom (needs --meals).", VerbValue.Text) { Default = "random" },
            new VerbOption("meals", "The custom scenario's daily meals as HOUR:GRAMS, comma separated (e.g. 7:45,12:70,18.5:80).", VerbValue.Text),
            new VerbOption("days", "Days each run lasts.", VerbValue.Number) { Default = "1" },
            new VerbOption("replications", "Replications per patient (different meals and sensor noise).", VerbValue.Number) { Default = "3" },
            new VerbOption("seed", "The trial's seed (the same seed, the same result).", VerbValue.Number) { Default = "1" },
            new VerbOption("sensor", "CGM sensor: Dexcom, GuardianRT, Navigator.", VerbValue.Text) { Default = "Dexcom" },
            new VerbOption("pump", "Insulin pump: Insulet, Cozmo.", VerbValue.Text) { Default = "Insulet" },
            new VerbOption("estimator", "The MPC's state estimator: ukf or ekf.", VerbValue.Text) { Default = "ukf" },
            new VerbOption("parallel", "Runs at once (default: the cores).", VerbValue.Number),
            new VerbOption("plot", "Write a PNG: mean BG per cohort and controller, and the control-variability grid.", VerbValue.Text),
            new VerbOption("csv", "Write every run's metrics as CSV.", VerbValue.Text),
        ],
    };

    /// <summary>The trial section's options in <c>doppel bench health</c>.</summary>
    public static IReadOnlyList<VerbOption> BenchOptions { get; } =
    [
        new VerbOption("trial-days", "Days each trial run lasts.", VerbValue.Number) { Default = "3" },
        new VerbOption("trial-replications", "Replications per patient in the trial.", VerbValue.Number) { Default = "3" },
        new VerbOption("trial-seed", "The trial's seed (never one the controllers were tuned on).", VerbValue.Number) { Default = "2026" },
        new VerbOption("trial-patients", "Patients per cohort in the trial (the first N; the bench's figures use all 10).", VerbValue.Number) { Default = "10" },
        new VerbOption("trial-plot", "Write the trial's PNG.", VerbValue.Text),
    ];

    public static Task<VerbResult> RunAsync(VerbContext context, CancellationToken ct)
    {
        var design = Read(context, out var usage);
        if (design is null)
        {
            return Task.FromResult(VerbResult.Usage(usage!));
        }
        return Task.FromResult(Execute(context, design with { KeepTraces = context.Text("plot") is not null }, context.Text("plot"), context.Text("csv"), ct));
    }

    public static Task<VerbResult> BenchAsync(VerbContext context, CancellationToken ct)
    {
        var days = context.Number("trial-days") ?? 3;
        var replications = context.Number("trial-replications") ?? 3;
        var seed = context.Number("trial-seed") ?? 2026;
        var patients = context.Number("trial-patients") ?? 10;
        if (!(days > 0 && days <= 30) || !IsCount(replications, 1, 100) || !IsCount(seed, 0, uint.MaxValue) || !IsCount(patients, 1, 10))
        {
            return Task.FromResult(VerbResult.Usage($"--trial-days must be above 0 and at most 30 (not {days}), --trial-replications a whole number 1 to 100 (not {replications}), --trial-seed a whole number 0 or more (not {seed}), --trial-patients a whole number 1 to 10 (not {patients})."));
        }
        var design = new GlucoseTrialDesign
        {
            Cohorts = [.. new[] { "adults", "adolescents", "children" }.Select(c => TrialCohort.Named(c, (int)patients))],
            Scenarios = [TrialScenario.Random],
            Controllers = [.. ControllerNames.Select(n => Controller(n, StateEstimatorKind.Unscented))],
            Duration = TimeSpan.FromDays(days),
            Replications = (int)replications,
            Seed = (ulong)seed,
            KeepTraces = context.Text("trial-plot") is not null,
        };
        context.Out.WriteLine($"In-silico trial: {3 * (int)patients} of simglucose's virtual patients on its random meal scenario, basal-bolus (simglucose's) against the PID and the MPC.");
        context.Out.WriteLine("Protocol: the PID and MPC settings were tuned on patients #001-#003 of each cohort with trial seed 101 (3 replications of 2 days); this run uses every patient and its own seed.");
        return Task.FromResult(Execute(context, design, context.Text("trial-plot"), null, ct));
    }

    private static VerbResult Execute(VerbContext context, GlucoseTrialDesign design, string? plot, string? csv, CancellationToken ct)
    {
        var total = 0;
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var gate = new Lock();
        var progress = new Progress(p =>
        {
            lock (gate)
            {
                total = p.Total;
                if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(1) || p.Completed == p.Total)
                {
                    lastReport = clock.Elapsed;
                    context.Error.WriteLine($"trial: {p.Completed}/{p.Total} runs, {clock.Elapsed.TotalSeconds:0}s");
                }
            }
        });
        var outcome = GlucoseTrial.Run(design, progress, ct);
        if (!outcome.IsSuccess)
        {
            return VerbResult.Usage(outcome.Error.Message);
        }
        var result = outcome.Value;
        context.Out.WriteLine();
        TrialTables.Write(context.Out, result, ControlTarget.Default);
        context.Out.WriteLine();
        context.Out.WriteLine($"{result.Runs.Count} runs ({design.Duration.TotalDays * result.Runs.Count:0} patient-days) in {clock.Elapsed.TotalSeconds:0.0} s on {design.Parallelism} core(s).");
        var sampleTime = CgmSensor.Create(design.Sensor, 0).Value!.SampleTime;
        try
        {
            if (plot is not null)
            {
                TrialPlots.Save(result, sampleTime, plot);
                context.Out.WriteLine($"Plot: {plot}");
            }
            if (csv is not null)
            {
                using var writer = new StreamWriter(csv);
                WriteCsv(writer, result);
                context.Out.WriteLine($"Runs: {csv}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return VerbResult.Failed($"Cannot write the trial's output: {e.Message}");
        }
        return VerbResult.Ok;
    }

    private static GlucoseTrialDesign? Read(VerbContext context, out string? usage)
    {
        usage = null;
        var errors = new List<string>();
        var cohorts = new List<TrialCohort>();
        var patients = context.Number("patients");
        if (patients is { } n && !IsCount(n, 1, 10))
        {
            errors.Add($"--patients is a whole number from 1 to 10, not {n}.");
        }
        foreach (var name in List(context.Text("cohorts")))
        {
            if (PatientParameters.Cohort(name).Count == 0 || name == "all")
            {
                errors.Add($"--cohorts: there is no cohort '{name}' (adults, adolescents, children).");
            }
            else if (errors.Count == 0)
            {
                cohorts.Add(TrialCohort.Named(name, patients is { } count ? (int)count : null));
            }
        }
        var estimator = (context.Text("estimator") ?? "ukf").Trim().ToLowerInvariant() switch
        {
            "ukf" => (StateEstimatorKind?)StateEstimatorKind.Unscented,
            "ekf" => (StateEstimatorKind?)StateEstimatorKind.Extended,
            var other => Refuse(errors, $"--estimator is ukf or ekf, not '{other}'."),
        };
        var controllers = new List<TrialController>();
        foreach (var name in List(context.Text("controllers")))
        {
            if (!ControllerNames.Contains(name))
            {
                errors.Add($"--controllers: there is no controller '{name}' ({string.Join(", ", ControllerNames)}).");
            }
            else if (controllers.Any(c => c.Name == name))
            {
                errors.Add($"--controllers names '{name}' twice.");
            }
            else
            {
                controllers.Add(Controller(name, estimator ?? StateEstimatorKind.Unscented));
            }
        }
        var days = context.Number("days") ?? 1;
        if (!(days > 0 && days <= 365))
        {
            errors.Add($"--days must be above 0 and at most 365, not {days}.");
        }
        var scenarios = new List<TrialScenario>();
        foreach (var name in List(context.Text("scenario")))
        {
            switch (name)
            {
                case "random":
                    scenarios.Add(TrialScenario.Random);
                    break;
                case "custom":
                    if (Meals(context.Text("meals"), days, errors) is { } custom)
                    {
                        scenarios.Add(custom);
                    }
                    break;
                default:
                    errors.Add($"--scenario: there is no scenario '{name}' (random, custom).");
                    break;
            }
        }
        if (context.Text("meals") is not null && !scenarios.Any(s => s.Name == "custom"))
        {
            errors.Add("--meals is the custom scenario's: add --scenario custom (or random,custom).");
        }
        var replications = context.Number("replications") ?? 3;
        if (!IsCount(replications, 1, 1000))
        {
            errors.Add($"--replications is a whole number from 1 to 1000, not {replications}.");
        }
        var seed = context.Number("seed") ?? 1;
        if (!IsCount(seed, 0, uint.MaxValue))
        {
            errors.Add($"--seed is a whole number 0 or more, not {seed}.");
        }
        var parallel = context.Number("parallel") ?? Environment.ProcessorCount;
        if (!IsCount(parallel, 1, 1024))
        {
            errors.Add($"--parallel is a whole number from 1 to 1024, not {parallel}.");
        }
        var sensor = context.Text("sensor") ?? "Dexcom";
        if (CgmSensor.Create(sensor, 0) is { IsSuccess: false } badSensor)
        {
            errors.Add("--sensor: " + badSensor.Error.Message);
        }
        var pump = context.Text("pump") ?? "Insulet";
        if (InsulinPump.Create(pump) is { IsSuccess: false } badPump)
        {
            errors.Add("--pump: " + badPump.Error.Message);
        }
        if (errors.Count > 0)
        {
            usage = string.Join(" ", errors);
            return null;
        }
        var design = new GlucoseTrialDesign
        {
            Cohorts = cohorts,
            Scenarios = scenarios,
            Controllers = controllers,
            Duration = TimeSpan.FromDays(days),
            Replications = (int)replications,
            Seed = (ulong)seed,
            Sensor = sensor,
            Pump = pump,
            Parallelism = (int)parallel,
        };
        if (design.Validate() is { Count: > 0 } invalid)
        {
            usage = string.Join(" ", invalid);
            return null;
        }
        return design;
    }

    public static TrialController Controller(string name, StateEstimatorKind estimator) => name switch
    {
        "basal-bolus" => new TrialController(name, _ => new BasalBolusController()),
        "pid" => new TrialController(name, _ => new PidController()),
        "mpc" => new TrialController(name, _ => new ModelPredictiveController(new MpcSettings { Estimator = estimator })),
        _ => throw new ArgumentException($"There is no controller '{name}'.", nameof(name)),
    };

    /// <summary>The custom scenario: the same meals every day of the run.</summary>
    private static TrialScenario? Meals(string? text, double days, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add("--scenario custom needs --meals HOUR:GRAMS,... (e.g. 7:45,12:70,18.5:80).");
            return null;
        }
        var daily = new List<(double Hour, double Grams)>();
        foreach (var item in List(text))
        {
            var parts = item.Split(':');
            if (parts.Length != 2
                || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var hour)
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var grams)
                || !(hour >= 0 && hour < 24) || !(grams > 0 && grams <= 500))
            {
                errors.Add($"--meals: '{item}' is not HOUR:GRAMS with an hour from 0 to below 24 and 1 to 500 grams.");
                return null;
            }
            daily.Add((hour, grams));
        }
        var meals = new List<ScheduledMeal>();
        for (var day = 0; day < Math.Ceiling(days); day++)
        {
            meals.AddRange(daily.Select(m => new ScheduledMeal(TimeSpan.FromDays(day) + TimeSpan.FromHours(m.Hour), m.Grams)));
        }
        return new TrialScenario("custom", (start, _) => CustomMealScenario.Create(start, meals).Value!);
    }

    private static void WriteCsv(TextWriter writer, GlucoseTrialResult result)
    {
        writer.WriteLine("cohort,patient,scenario,controller,replication,meal_seed,sensor_seed," + string.Join(",", GlucoseMetric.All.Select(m => m.Key)) + ",cvga_min,cvga_max,cvga_zone");
        foreach (var run in result.Runs)
        {
            var values = GlucoseMetric.All.Select(m => m.Of(run.Metrics).ToString("R", CultureInfo.InvariantCulture));
            writer.WriteLine(string.Join(",", [run.Cohort, run.Patient, run.Scenario, run.Controller, run.Replication.ToString(CultureInfo.InvariantCulture),
                run.MealSeed.ToString(CultureInfo.InvariantCulture), run.SensorSeed.ToString(CultureInfo.InvariantCulture), .. values,
                run.Metrics.CvgaMinimum.ToString("R", CultureInfo.InvariantCulture), run.Metrics.CvgaMaximum.ToString("R", CultureInfo.InvariantCulture), run.Metrics.Zone.ToString()]));
        }
    }

    private static IEnumerable<string> List(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant());

    private static bool IsCount(double value, double min, double max) => value >= min && value <= max && value == Math.Floor(value);

    private static StateEstimatorKind? Refuse(List<string> errors, string message)
    {
        errors.Add(message);
        return null;
    }

    private sealed class Progress(Action<ExperimentProgress> report) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value) => report(value);
    }
}
