using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Estimation;
using Doppel.Packs.Health.Glucose;
using Doppel.Packs.Health.Patients.Internal;
using Doppel.Simulation.Experiments;
using Doppel.Twins;

namespace Doppel.Packs.Health.Patients;

/// <summary>
/// What-ifs on a live patient (<c>POST /doppel/scenarios</c> with <c>"kind": "patient"</c>, or <c>doppel simulate
/// --twin ID</c>): the patient twin's estimated state (its <c>estimate</c>, now or at a past time) drawn
/// <c>run.replications</c> times and run <c>run.duration</c> minutes ahead on the patient's UVA/Padova model, with the
/// basal rate in force, the request's <c>plan</c> (meals, boluses, basal changes to come, each with a name) and each
/// what-if (<c>whatIf: {"3 U bolus now": {"bolus": 3}, "skip the snack": {"skip": ["snack"]}}</c>). Every scenario
/// draws the same members (common random numbers), so the what-ifs are compared with the baseline pair by pair. The
/// result holds each scenario's glucose trajectory (median and 90% interval every 5 minutes) and its KPIs.
/// </summary>
public sealed class PatientScenarioKind : IScenarioKind
{
    public const string KindName = "patient";

    private const double Step = 5;
    private const double Coverage = 0.9;
    private static readonly GlucoseEstimatorOptions Options = new();

    public string Name => KindName;

    public string Description => "What-ifs on a patient from the live twin's estimated state (a bolus now, a meal skipped): glucose trajectories with 90% intervals, time below 70 and in range, compared with the baseline.";

    public string TwinModel => PatientTwin.ModelId;

    public IReadOnlyCollection<string> Keys { get; } = ["patient", "plan"];

    public RunSettings RunDefaults { get; } = new() { Duration = 240, Warmup = 0, Replications = 200, Seed = 1 };

    public ResultView View { get; } = new()
    {
        Columns =
        [
            new KpiColumn("minGlucose", "min glucose"),
            new KpiColumn("endGlucose", "glucose at end"),
            new KpiColumn("minutesBelow70", "min < 70"),
            new KpiColumn("minutesBelow54", "min < 54"),
            new KpiColumn("timeInRange", "% in 70-180"),
        ],
        Compared = [new KpiColumn("minGlucose", "min glucose"), new KpiColumn("minutesBelow70", "min < 70"), new KpiColumn("timeInRange", "% in 70-180")],
    };

    public string Usage => $"\"patient\": the id of a {PatientTwin.ModelId} twin the live twin has estimated";

    public bool Recognizes(DocumentMap request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request["patient"] is DocumentScalar;
    }

    public async Task<Result<ISimulationPlan>> PrepareAsync(ScenarioRequest request, ScenarioContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var document = request.Document;
        var patientId = document.Text("patient") ?? request.TwinId ?? throw document.Error($"say which patient: {Usage}");
        if (document.Text("patient") is not null && request.TwinId is { } twinId && twinId != patientId)
        {
            throw document.Required("twin", "").Error($"names twin '{twinId}' and \"patient\" names '{patientId}': give one of them");
        }
        if (request.Start.IsEmpty)
        {
            return Result<ISimulationPlan>.Fail("InvalidArgument", "A patient what-if starts from the twin's estimated state, now or at a past time ('at'): an empty fork (\"fromLiveState\": false) has none.");
        }
        if (!(request.Run.Duration is >= Step and <= 24 * 60))
        {
            throw (document["run"] ?? document).Error(string.Create(CultureInfo.InvariantCulture, $"duration is the horizon in minutes, from {Step} to {24 * 60}; {request.Run.Duration:G} is not"));
        }
        if (request.Run.Replications is < 10 or > 5000)
        {
            throw (document["run"] ?? document).Error($"replications are the members drawn from the estimate, 10 to 5000; {request.Run.Replications} is not");
        }
        var plan = ReadPlan(document.List("plan", "a list of planned events: {name, after, carbs, bolus, basal}"));
        var whatIfs = ReadWhatIfs(document.Map("whatIf", "a mapping from each what-if's name to its changes: {bolus, carbs, basal, skip, add}"), plan);
        if (!context.Graph.TryGetTwin(patientId, out var patient))
        {
            return Result<ISimulationPlan>.Fail("DigitalTwinNotFound", $"There is no digital twin with id '{patientId}'.");
        }
        if (!context.IsOfModel(patient, PatientTwin.ModelId))
        {
            return Result<ISimulationPlan>.Fail("InvalidArgument", $"Twin '{patientId}' is a {patient.Model.Value}, not a {PatientTwin.ModelId}.");
        }
        if (!patient.TryGetProperty(PatientTwin.Profile, out var profile) || profile.ValueKind != JsonValueKind.String)
        {
            return Result<ISimulationPlan>.Fail("InvalidArgument", $"Patient '{patientId}' has no '{PatientTwin.Profile}' naming its UVA/Padova parameters.");
        }
        var parameters = PatientParameters.Find(profile.GetString()!);
        if (!parameters.IsSuccess)
        {
            return Result<ISimulationPlan>.Fail("InvalidArgument", $"Patient '{patientId}': {parameters.Error!.Message}");
        }
        var estimate = await ReadEstimateAsync(context, patient, request.Start.At, ct);
        if (!estimate.IsSuccess)
        {
            return Result<ISimulationPlan>.Fail(estimate.Error!);
        }
        return Result<ISimulationPlan>.Ok(new Fork(patientId, parameters.Value!, estimate.Value!, plan, whatIfs, request.Run, request.Start, View));
    }

    private static async Task<Result<PatientEstimate>> ReadEstimateAsync(ScenarioContext context, TwinDocument patient, DateTimeOffset? at, CancellationToken ct)
    {
        JsonNode? json;
        if (at is { } time)
        {
            var points = await context.LatestAtAsync([patient.Id], [PatientEstimate.Property], time, ct);
            json = points.Count > 0 && points[0].Json is { } text ? JsonNode.Parse(text) : null;
        }
        else
        {
            json = patient.TryGetProperty(PatientEstimate.Property, out var value) ? JsonNode.Parse(value.GetRawText()) : null;
        }
        return json is null
            ? Result<PatientEstimate>.Fail("InvalidArgument", $"Patient '{patient.Id}' has no estimated state {(at is null ? "yet" : "at that time")}: the live twin writes it at each CGM reading (run doppel demo health, or send the patient's CGM readings).")
            : PatientEstimate.FromJson(json);
    }

    private static List<PlannedEvent> ReadPlan(DocumentList? list)
    {
        var plan = new List<PlannedEvent>();
        foreach (var item in list?.Items ?? [])
        {
            var map = item.ExpectMap("a planned event: {name, after, carbs, bolus, basal}").Allow("name", "after", "carbs", "bolus", "basal");
            var after = map.Number("after") ?? throw map.Error("'after' (minutes from now) is required");
            if (!(after is >= 0 and <= 24 * 60))
            {
                throw map.Required("after", "").Error("must be 0 to 1440 minutes from now");
            }
            var planned = new PlannedEvent(map.Text("name"), after, Amount(map, "carbs", 300), Amount(map, "bolus", 50), map.Contains("basal") ? Amount(map, "basal", 20) : null);
            if (planned is { Carbs: 0, Bolus: 0, Basal: null })
            {
                throw map.Error("a planned event needs carbs, bolus or basal");
            }
            plan.Add(planned);
        }
        return plan;
    }

    private static List<PatientWhatIf> ReadWhatIfs(DocumentMap? map, List<PlannedEvent> plan)
    {
        var whatIfs = new List<PatientWhatIf>();
        foreach (var (key, value) in map?.Entries ?? [])
        {
            if (key.Text == ExperimentJson.Baseline)
            {
                throw key.Error($"'{ExperimentJson.Baseline}' is the scenario without changes; name the what-if otherwise");
            }
            var changes = value.ExpectMap("the what-if's changes: {bolus, carbs, basal, skip, add}").Allow("bolus", "carbs", "basal", "skip", "add");
            var skip = changes.List("skip", "a list of planned events' names")?.Items.Select(i => i.ExpectScalar("a name").Text).ToList() ?? [];
            foreach (var name in skip)
            {
                if (!plan.Any(p => p.Name == name))
                {
                    throw changes.Required("skip", "").Error($"the plan has no event named '{name}'");
                }
            }
            var whatIf = new PatientWhatIf(key.Text, Amount(changes, "bolus", 50), Amount(changes, "carbs", 300), changes.Contains("basal") ? Amount(changes, "basal", 20) : null, skip,
                ReadPlan(changes.List("add", "a list of planned events")));
            if (whatIf is { Bolus: 0, Carbs: 0, Basal: null, Skip.Count: 0, Add.Count: 0 })
            {
                throw changes.Error("changes nothing: give bolus, carbs, basal, skip or add");
            }
            whatIfs.Add(whatIf);
        }
        return whatIfs;
    }

    private static double Amount(DocumentMap map, string key, double max)
    {
        var value = map.Number(key) ?? 0;
        if (!(value >= 0 && value <= max))
        {
            throw map.Required(key, "").Error(string.Create(CultureInfo.InvariantCulture, $"must be 0 to {max:G} ({key switch { "carbs" => "g", "bolus" => "U", _ => "U/h" }})"));
        }
        return value;
    }

    private sealed class Fork(string patientId, PatientParameters parameters, PatientEstimate estimate, List<PlannedEvent> plan, List<PatientWhatIf> whatIfs, RunSettings run, ScenarioStart start, ResultView view) : ISimulationPlan
    {
        public RunSettings Run => run;

        public int Total => (whatIfs.Count + 1) * run.Replications;

        public JsonObject Execute(IProgress<ExperimentProgress>? progress, CancellationToken ct)
        {
            var dynamics = new PatientDynamics(parameters);
            var startMinute = GlucoseEstimator.Minutes(estimate.Time);
            var members = Members(dynamics);
            var eating = new EatingState(estimate.Planned, estimate.Eating, estimate.InMeal, new MealState(estimate.MealQsto, estimate.MealFood), (long)Math.Floor(startMinute));
            var scenarios = new List<(string Name, double[][] Glucose)>();
            var all = new List<PatientWhatIf?> { null };
            all.AddRange(whatIfs);
            var done = 0;
            foreach (var whatIf in all)
            {
                ct.ThrowIfCancellationRequested();
                var inputs = Inputs(startMinute, whatIf);
                // The same members and the same model noise in every scenario: the differences are the what-if's.
                var glucose = Ensemble.Run(dynamics, members, eating, startMinute, inputs, run.Duration, Step, Options.ProcessNoise, run.Seed ^ 0x9E3779B97F4A7C15);
                scenarios.Add((whatIf?.Name ?? ExperimentJson.Baseline, glucose));
                done += run.Replications;
                progress?.Report(new ExperimentProgress(done, Total));
            }
            var baseline = Kpis(scenarios[0].Glucose);
            var results = new JsonArray();
            foreach (var (name, glucose) in scenarios)
            {
                var kpis = Kpis(glucose);
                var entry = new JsonObject { ["name"] = name, ["replications"] = glucose.Length };
                var kpiJson = new JsonObject();
                foreach (var (kpi, values) in kpis)
                {
                    var (mean, half) = MeanAndHalfWidth(values);
                    kpiJson[kpi] = new JsonObject { ["mean"] = Math.Round(mean, 3), ["halfWidth"] = Math.Round(half, 3) };
                }
                entry["kpis"] = kpiJson;
                if (name != ExperimentJson.Baseline)
                {
                    var comparisons = new JsonObject();
                    foreach (var column in view.Compared)
                    {
                        var differences = kpis[column.Kpi].Zip(baseline[column.Kpi], (a, b) => a - b).ToArray();
                        var (difference, half) = MeanAndHalfWidth(differences);
                        var baseMean = baseline[column.Kpi].Average();
                        comparisons[column.Kpi] = new JsonObject
                        {
                            ["difference"] = Math.Round(difference, 3),
                            ["halfWidth"] = Math.Round(half, 3),
                            ["percentChange"] = baseMean == 0 ? null : Math.Round(100 * difference / baseMean, 2),
                            ["significant"] = Math.Abs(difference) > half,
                        };
                    }
                    entry["comparisons"] = comparisons;
                }
                entry["trajectory"] = new JsonArray([.. Ensemble.Band(glucose, Step, Coverage).Select(p => (JsonNode)new JsonObject
                {
                    ["minutes"] = p.Minutes,
                    ["time"] = estimate.Time.AddMinutes(p.Minutes).UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                    ["median"] = Math.Round(p.Median, 1),
                    ["lower"] = Math.Round(p.Lower, 1),
                    ["upper"] = Math.Round(p.Upper, 1),
                })]);
                results.Add(entry);
            }
            return new JsonObject
            {
                ["scenarios"] = results,
                ["patient"] = patientId,
                ["profile"] = parameters.Name,
                ["start"] = start.ToString(),
                ["estimateTime"] = estimate.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["coverage"] = Coverage,
            };
        }

        /// <summary>The members drawn from the estimate (scaled, as the model steps them), the same for the same seed.</summary>
        private List<double[]> Members(PatientDynamics dynamics)
        {
            var n = UvaPadova.StateSize;
            var mean = dynamics.ToScaled([.. estimate.Mean]);
            var covariance = new double[n, n];
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    covariance[i, j] = estimate.Covariance[i * n + j] / (dynamics.Scale[i] * dynamics.Scale[j]);
                }
            }
            var model = new StateSpaceModel(n, 1, (t, dt, x, next) => x.CopyTo(next), (t, x, y) => y[0] = x[12]) { ObservationNoise = new[,] { { 1.0 } } };
            return [.. new UnscentedKalmanFilter(model, mean, covariance).Sample(run.Replications, run.Seed)];
        }

        private InputSchedule Inputs(double startMinute, PatientWhatIf? whatIf)
        {
            var inputs = new InputSchedule(estimate.Basal);
            var events = plan.Where(p => whatIf is null || p.Name is null || !whatIf.Skip.Contains(p.Name)).Concat(whatIf?.Add ?? []);
            foreach (var e in events)
            {
                var minute = startMinute + e.After;
                if (e.Carbs > 0)
                {
                    inputs.AddMeal(minute, e.Carbs, e.Name);
                }
                if (e.Bolus > 0)
                {
                    inputs.AddBolus(minute, e.Bolus);
                }
                if (e.Basal is { } basal)
                {
                    inputs.AddBasal(minute, basal);
                }
            }
            if (whatIf is not null)
            {
                if (whatIf.Bolus > 0)
                {
                    inputs.AddBolus(startMinute, whatIf.Bolus);
                }
                if (whatIf.Carbs > 0)
                {
                    inputs.AddMeal(startMinute, whatIf.Carbs);
                }
                if (whatIf.Basal is { } basal)
                {
                    inputs.AddBasal(startMinute, basal);
                }
            }
            return inputs;
        }

        private static Dictionary<string, double[]> Kpis(double[][] glucose)
        {
            var kpis = new Dictionary<string, double[]>
            {
                ["minGlucose"] = new double[glucose.Length],
                ["endGlucose"] = new double[glucose.Length],
                ["minutesBelow70"] = new double[glucose.Length],
                ["minutesBelow54"] = new double[glucose.Length],
                ["timeInRange"] = new double[glucose.Length],
            };
            for (var m = 0; m < glucose.Length; m++)
            {
                var row = glucose[m];
                var steps = row.Length - 1;
                double below70 = 0, below54 = 0, inRange = 0;
                for (var s = 1; s <= steps; s++)
                {
                    below70 += row[s] < 70 ? Step : 0;
                    below54 += row[s] < 54 ? Step : 0;
                    inRange += row[s] is >= 70 and <= 180 ? 1 : 0;
                }
                kpis["minGlucose"][m] = row.Min();
                kpis["endGlucose"][m] = row[^1];
                kpis["minutesBelow70"][m] = below70;
                kpis["minutesBelow54"][m] = below54;
                kpis["timeInRange"][m] = 100 * inRange / steps;
            }
            return kpis;
        }

        /// <summary>The mean and the half-width of its 95% confidence interval (normal approximation; hundreds of members).</summary>
        private static (double Mean, double HalfWidth) MeanAndHalfWidth(double[] values)
        {
            var mean = values.Average();
            var variance = values.Sum(v => (v - mean) * (v - mean)) / Math.Max(values.Length - 1, 1);
            return (mean, 1.96 * Math.Sqrt(variance / values.Length));
        }
    }
}
