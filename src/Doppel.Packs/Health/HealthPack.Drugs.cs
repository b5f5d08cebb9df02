using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Packs.Health.Drugs;
using Doppel.Packs.Health.Drugs.Internal;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Health;

/// <summary>
/// The drug twin's registrations: <c>doppel pk models|simulate|fit|dose|population</c>, <c>doppel trial drug</c>, the
/// experiment kinds <c>vancomycin-dosing</c> and <c>drug-trial</c>, and the console's dosing page.
/// </summary>
public sealed partial class HealthPack
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    partial void RegisterDrugs(PackBuilder pack)
    {
        pack.AddExperimentKind(new VancomycinDosingKind())
            .AddExperimentKind(new DrugTrialKind())
            .AddConsolePage(new ConsolePage("dosing", "Vancomycin dosing", null, () => DrugResource("dosing.js")))
            .AddVerb(new PackVerb("pk", "Pharmacokinetics: simulate regimens, fit a patient's levels (Bayesian MAP), recommend a dose, and check dosing on a virtual population.", null)
            {
                Verbs =
                [
                    new PackVerb("models", "List the shipped population models with their parameters and citations.", ModelsAsync),
                    new PackVerb("simulate", "Concentrations (and a PD effect) of a regimen for given parameters or a model's patient, in closed form or by the ODE solvers.", SimulateAsync)
                    {
                        Arguments = [new VerbArgument("file", "A dosing document (YAML or JSON): model or parameters, patient, regimen or doses, times, pd.") { Value = VerbValue.Document }],
                        Options =
                        [
                            new VerbOption("ode", "Solve the compartments as ODEs with the kernel's solver, beside the closed form.", VerbValue.Flag),
                            new VerbOption("solver", "The ODE solver: dopri54 or rodas4.", VerbValue.Text) { Default = "dopri54" },
                            new VerbOption("json", "Print JSON.", VerbValue.Flag),
                        ],
                    },
                    new PackVerb("fit", "A patient's parameters from their measured levels: the MAP estimate with its Laplace uncertainty.", FitAsync)
                    {
                        Arguments = [new VerbArgument("file", "A dosing document with model, patient, regimen or doses, and levels.") { Value = VerbValue.Document }],
                        Options = [new VerbOption("json", "Print JSON.", VerbValue.Flag)],
                    },
                    new PackVerb("dose", "The regimen that puts a patient's steady-state AUC24 in the target (400–600 mg·h/L unless told), from their levels, with its posterior.", DoseAsync)
                    {
                        Arguments = [new VerbArgument("file", "A dosing document with model, patient, regimen or doses, levels, and optionally target.") { Value = VerbValue.Document }],
                        Options = [new VerbOption("seed", "The seed of the posterior draws.", VerbValue.Number) { Default = "1" }, new VerbOption("json", "Print JSON (with the posterior and predicted curves).", VerbValue.Flag)],
                    },
                    new PackVerb("population", "Target attainment on a virtual population: weight-based dosing beside one level-guided (Bayesian) adjustment, in the same run.", PopulationAsync)
                    {
                        Options =
                        [
                            new VerbOption("model", "The population model.", VerbValue.Text) { Default = Vancomycin.ModelName },
                            new VerbOption("patients", "Virtual patients.", VerbValue.Number) { Default = "1000" },
                            new VerbOption("seed", "The cohort's seed.", VerbValue.Number) { Default = "1" },
                            new VerbOption("dialysis", "The share of patients on haemodialysis.", VerbValue.Number) { Default = "0.185" },
                            new VerbOption("mg-per-kg", "The weight-based start, mg/kg every 12 h.", VerbValue.Number) { Default = "15" },
                            new VerbOption("assay", "The error of measured levels: 'default' (5% + 0.5 mg/L) or 'model' (the model's residual error).", VerbValue.Text) { Default = "default" },
                            new VerbOption("half-lives", "The peak-trough pair is drawn once this many predicted half-lives have passed (5: steady state).", VerbValue.Number) { Default = "5" },
                            new VerbOption("json", "Print JSON.", VerbValue.Flag),
                        ],
                    },
                ],
            });
    }

    partial void AddDrugTrialVerbs(List<PackVerb> verbs) => verbs.Add(new PackVerb("drug", "Dosing regimens compared on a virtual cohort: the share in the AUC24 target with 95% confidence intervals, paired with the first regimen.", DrugTrialAsync)
    {
        Arguments = [new VerbArgument("file", "A drug-trial document: model, population, regimens, target, assay, run.") { Value = VerbValue.Document }],
        Options =
        [
            new VerbOption("patients", "Virtual patients (overrides run.replications).", VerbValue.Number),
            new VerbOption("seed", "The cohort's seed (overrides run.seed).", VerbValue.Number),
            new VerbOption("json", "Print JSON.", VerbValue.Flag),
        ],
    });

    private static Stream DrugResource(string name) =>
        typeof(HealthPack).Assembly.GetManifestResourceStream($"Doppel.Packs.Health.Drugs.{name}")
        ?? throw new InvalidOperationException($"The health pack's {name} is not embedded in its assembly.");

    private static async Task<VerbResult> ModelsAsync(VerbContext context, CancellationToken ct)
    {
        foreach (var model in DrugModels.All)
        {
            await context.Out.WriteLineAsync($"{model.Name}: {model.Description}");
            await context.Out.WriteLineAsync($"  {model.Compartments} compartments; covariates {string.Join(", ", model.Covariates)}");
            foreach (var parameter in model.Parameters)
            {
                var effects = string.Concat(parameter.Effects.Select(e => "·" + e));
                var eta = parameter.Eta is { } k ? Invariant($"·exp({model.EtaNames[k]}), ω² = {model.Omega(k, k):G5} (CV {Math.Sqrt(Math.Exp(model.Omega(k, k)) - 1):P1})") : "";
                await context.Out.WriteLineAsync(Invariant($"  {parameter.Name} = {parameter.Typical:G}{effects}{eta}"));
            }
            await context.Out.WriteLineAsync(Invariant($"  residual error: {model.Residual.Kind}, additive {model.Residual.Additive:G} mg/L, proportional {model.Residual.Proportional:P1}"));
            await context.Out.WriteLineAsync($"  {model.Citation}");
        }
        return VerbResult.Ok;
    }

    private static async Task<VerbResult> SimulateAsync(VerbContext context, CancellationToken ct)
    {
        var solverName = context.Text("solver");
        if (solverName is not ("dopri54" or "rodas4"))
        {
            return VerbResult.Usage($"--solver is dopri54 or rodas4, not '{solverName}'.");
        }
        var read = ReadCase(context, needsModel: false);
        if (!read.IsSuccess)
        {
            return VerbResult.Usage(read.Error.Message);
        }
        var dosing = read.Value;
        var parameters = dosing.Parameters;
        var model = new CompartmentModel(parameters);
        var times = dosing.Times;
        var concentration = model.Concentrations(dosing.Doses, times);
        var auc = times.Select(t => model.Auc(dosing.Doses, 0, t)).ToArray();
        double[]? ode = null;
        if (context.Flag("ode"))
        {
            ode = new PkOde(parameters).Solve(dosing.Doses, times, solverName == "rodas4" ? PkSolver.Rodas4 : PkSolver.DormandPrince54).Concentration;
        }
        double[]? effect = dosing.Emax is { } emax ? [.. concentration.Select(emax.Effect)]
            : dosing.Indirect is { } indirect ? indirect.Simulate(t => model.Concentration(dosing.Doses, t), times, dosing.Doses.SelectMany(d => new[] { d.Time, d.Time + d.Duration, d.Time + parameters.Lag }))
            : null;
        var cmax = concentration.Max();
        if (context.Flag("json"))
        {
            var json = new JsonObject
            {
                ["parameters"] = JsonSerializer.SerializeToNode(parameters),
                ["exponents"] = new JsonArray([.. model.Exponents().Select(l => (JsonNode)l)]),
                ["terminalHalfLife"] = model.TerminalHalfLife,
                ["cmax"] = cmax,
                ["tmax"] = times[Array.IndexOf(concentration, cmax)],
                ["auc"] = auc[^1],
                ["times"] = new JsonArray([.. times.Select(t => (JsonNode)t)]),
                ["concentration"] = new JsonArray([.. concentration.Select(c => (JsonNode)c)]),
                ["aucFromZero"] = new JsonArray([.. auc.Select(c => (JsonNode)c)]),
            };
            if (ode is not null)
            {
                json["ode"] = new JsonArray([.. ode.Select(c => (JsonNode)c)]);
                json["odeMaxRelativeDifference"] = MaxRelative(ode, concentration);
            }
            if (effect is not null)
            {
                json["effect"] = new JsonArray([.. effect.Select(e => (JsonNode)e)]);
            }
            await context.Out.WriteLineAsync(json.ToJsonString(Indented));
            return VerbResult.Ok;
        }
        await context.Out.WriteLineAsync(Invariant($"{parameters.Compartments}-compartment model: CL {parameters.CL:G4} L/h, V1 {parameters.V1:G4} L{(parameters.Compartments >= 2 ? $", Q2 {parameters.Q2:G4}, V2 {parameters.V2:G4}" : "")}{(parameters.Compartments >= 3 ? $", Q3 {parameters.Q3:G4}, V3 {parameters.V3:G4}" : "")}; terminal half-life {model.TerminalHalfLife:F2} h; {dosing.Doses.Count} dose(s)"));
        await context.Out.WriteLineAsync(Invariant($"Cmax {cmax:F3} mg/L at {times[Array.IndexOf(concentration, cmax)]:G} h; AUC 0–{times[^1]:G} h {auc[^1]:F1} mg·h/L"));
        var header = "time_h\tconc_mg_L\tauc_mg_h_L" + (ode is null ? "" : "\tode_mg_L") + (effect is null ? "" : "\teffect");
        await context.Out.WriteLineAsync(header);
        for (var i = 0; i < times.Count; i++)
        {
            await context.Out.WriteLineAsync(Invariant($"{times[i]:G}\t{concentration[i]:G10}\t{auc[i]:G10}") + (ode is null ? "" : Invariant($"\t{ode[i]:G10}")) + (effect is null ? "" : Invariant($"\t{effect[i]:G8}")));
        }
        if (ode is not null)
        {
            await context.Error.WriteLineAsync(Invariant($"ODE ({solverName}) against the closed form: largest relative difference {MaxRelative(ode, concentration):E2}"));
        }
        return VerbResult.Ok;
    }

    private static async Task<VerbResult> FitAsync(VerbContext context, CancellationToken ct)
    {
        var read = ReadCase(context, needsModel: true);
        if (!read.IsSuccess)
        {
            return VerbResult.Usage(read.Error.Message);
        }
        var dosing = read.Value;
        if (dosing.Levels.Count == 0)
        {
            return VerbResult.Usage($"{context.Document("file")!.Source}: 'levels' is required to fit: at least one measured level {{ time, value }}.");
        }
        var fit = BayesianEstimator.Fit(dosing.Model!, dosing.Covariates, dosing.Doses, dosing.Levels);
        if (!fit.IsSuccess)
        {
            return VerbResult.Usage(fit.Error.Message);
        }
        var f = fit.Value;
        var pk = new CompartmentModel(f.Parameters);
        if (context.Flag("json"))
        {
            var json = new JsonObject
            {
                ["model"] = f.Model.Name,
                ["eta"] = new JsonArray([.. f.Eta.Select((e, k) => (JsonNode)new JsonObject { ["name"] = f.Model.EtaNames[k], ["map"] = e, ["sd"] = f.EtaSd(k) })]),
                ["covariance"] = new JsonArray([.. Enumerable.Range(0, f.Eta.Length).Select(i => (JsonNode)new JsonArray([.. Enumerable.Range(0, f.Eta.Length).Select(j => (JsonNode)f.Covariance[i, j])]))]),
                ["parameters"] = JsonSerializer.SerializeToNode(f.Parameters),
                ["objective"] = f.Objective,
                ["converged"] = f.Converged,
                ["iterations"] = f.Iterations,
                ["levels"] = new JsonArray([.. f.Levels.Select(l => (JsonNode)new JsonObject { ["time"] = l.Time, ["observed"] = l.Value, ["predicted"] = pk.Concentration(f.Doses, l.Time) })]),
            };
            await context.Out.WriteLineAsync(json.ToJsonString(Indented));
            return VerbResult.Ok;
        }
        var advice = new DosingAdvice(f, DoseFinder.Recommend(f.Parameters, dosing.Target), null, null, null, dosing.Target);
        foreach (var line in advice.Describe().Take(2 + f.Model.EtaCount + f.Model.Parameters.Count))
        {
            await context.Out.WriteLineAsync(line);
        }
        await context.Out.WriteLineAsync("time_h\tobserved_mg_L\tpredicted_mg_L");
        foreach (var level in f.Levels)
        {
            await context.Out.WriteLineAsync(Invariant($"{level.Time:G}\t{level.Value:G}\t{pk.Concentration(f.Doses, level.Time):F2}"));
        }
        return VerbResult.Ok;
    }

    private static async Task<VerbResult> DoseAsync(VerbContext context, CancellationToken ct)
    {
        var read = ReadCase(context, needsModel: true);
        if (!read.IsSuccess)
        {
            return VerbResult.Usage(read.Error.Message);
        }
        if (context.Number("seed") is not { } seed || seed < 0 || seed != Math.Floor(seed))
        {
            return VerbResult.Usage("--seed must be a whole number, 0 or more.");
        }
        var advice = DosingAdvice.For(read.Value, (ulong)seed);
        if (!advice.IsSuccess)
        {
            return VerbResult.Usage($"{context.Document("file")!.Source}: {advice.Error.Message}.");
        }
        if (context.Flag("json"))
        {
            await context.Out.WriteLineAsync(advice.Value.ToJson((ulong)seed).ToJsonString(Indented));
            return VerbResult.Ok;
        }
        foreach (var line in advice.Value.Describe())
        {
            await context.Out.WriteLineAsync(line);
        }
        return VerbResult.Ok;
    }

    private static async Task<VerbResult> PopulationAsync(VerbContext context, CancellationToken ct)
    {
        var found = DrugModels.Find(context.Text("model") ?? "");
        if (!found.IsSuccess)
        {
            return VerbResult.Usage($"--model: {found.Error.Message}.");
        }
        var model = found.Value;
        if (context.Number("patients") is not { } patients || patients < 1 || patients > 1_000_000 || patients != Math.Floor(patients))
        {
            return VerbResult.Usage("--patients must be a whole number from 1 to 1000000.");
        }
        if (context.Number("seed") is not { } seed || seed < 0 || seed != Math.Floor(seed))
        {
            return VerbResult.Usage("--seed must be a whole number, 0 or more.");
        }
        if (context.Number("dialysis") is not { } dialysis || dialysis is < 0 or > 1)
        {
            return VerbResult.Usage("--dialysis must be a share from 0 to 1.");
        }
        if (context.Number("mg-per-kg") is not { } mgPerKg || !(mgPerKg > 0))
        {
            return VerbResult.Usage("--mg-per-kg must be more than 0.");
        }
        var assay = context.Text("assay") switch
        {
            "default" => AttainmentOptions.DefaultAssay,
            "model" => model.Residual,
            _ => null,
        };
        if (assay is null)
        {
            return VerbResult.Usage($"--assay is 'default' or 'model', not '{context.Text("assay")}'.");
        }
        var options = new AttainmentOptions((int)patients, (ulong)seed, MgPerKg: mgPerKg, Assay: assay, SteadyStateHalfLives: context.Number("half-lives") ?? TargetAttainment.SteadyStateHalfLives);
        if (options.Problem() is { } problem)
        {
            return VerbResult.Usage($"{problem}.");
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var progress = new Progress<int>(done =>
        {
            if (done % Math.Max(1, options.Patients / 10) == 0)
            {
                context.Error.WriteLine(Invariant($"{done}/{options.Patients} patients"));
            }
        });
        var result = TargetAttainment.Run(model, DrugModels.PopulationFor(model, dialysis), options, progress, ct);
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        var target = options.DoseTarget;
        if (context.Flag("json"))
        {
            await context.Out.WriteLineAsync(new JsonObject
            {
                ["model"] = model.Name,
                ["patients"] = options.Patients,
                ["seed"] = options.Seed,
                ["dialysisShare"] = dialysis,
                ["assay"] = new JsonObject { ["additive"] = assay.Additive, ["proportional"] = assay.Proportional },
                ["target"] = new JsonObject { ["low"] = target.AucLow, ["high"] = target.AucHigh },
                ["standard"] = Share(result.StandardInTarget, result.StandardBelow, result.StandardAbove, Invariant($"{mgPerKg:G} mg/kg q12h")),
                ["guided"] = Share(result.GuidedInTarget, result.GuidedBelow, result.GuidedAbove, "one level-guided adjustment (3 levels, MAP)"),
                ["seconds"] = seconds,
            }.ToJsonString(Indented));
            return VerbResult.Ok;
        }
        await context.Out.WriteLineAsync(Invariant($"{options.Patients} virtual patients ({model.Name}; {dialysis:P1} on haemodialysis; seed {options.Seed}); target AUC24 {target.AucLow:G}–{target.AucHigh:G} mg·h/L at steady state; levels measured with {assay.Proportional:P1} + {assay.Additive:G} mg/L error, the pair after {options.SteadyStateHalfLives:G} predicted half-lives."));
        await context.Out.WriteLineAsync("regimen\tin target [95% CI]\tbelow\tabove\tmedian AUC24");
        await Row(Invariant($"weight-based {mgPerKg:G} mg/kg q12h"), result.StandardInTarget, result.StandardBelow, result.StandardAbove, result.Outcomes.Select(o => o.StandardAuc24));
        await Row("after one level-guided adjustment", result.GuidedInTarget, result.GuidedBelow, result.GuidedAbove, result.Outcomes.Select(o => o.GuidedAuc24));
        await context.Out.WriteLineAsync(Invariant($"({seconds:F1} s; {seconds / options.Patients * 1000:F1} ms a patient)"));
        return VerbResult.Ok;

        async Task Row(string name, Proportion inTarget, Proportion below, Proportion above, IEnumerable<double> aucs)
        {
            var (lower, upper) = inTarget.Interval95;
            var sorted = aucs.Order().ToArray();
            await context.Out.WriteLineAsync(Invariant($"{name}\t{inTarget.Value:P1} [{lower:P1}, {upper:P1}]\t{below.Value:P1}\t{above.Value:P1}\t{sorted[sorted.Length / 2]:F0}"));
        }

        static JsonObject Share(Proportion inTarget, Proportion below, Proportion above, string regimen) => new()
        {
            ["regimen"] = regimen,
            ["inTarget"] = inTarget.Value,
            ["inTargetLower"] = inTarget.Interval95.Lower,
            ["inTargetUpper"] = inTarget.Interval95.Upper,
            ["below"] = below.Value,
            ["above"] = above.Value,
        };
    }

    private static async Task<VerbResult> DrugTrialAsync(VerbContext context, CancellationToken ct)
    {
        var document = context.Document("file")!;
        var kind = new DrugTrialKind();
        var root = DocumentReader.Parse(document.Text);
        if (!root.IsSuccess)
        {
            return VerbResult.Usage($"{document.Source}: {root.Error.Message}");
        }
        var run = kind.RunDefaults;
        if (context.Number("patients") is { } patients)
        {
            if (patients < 2 || patients > 1_000_000 || patients != Math.Floor(patients))
            {
                return VerbResult.Usage("--patients must be a whole number from 2 to 1000000.");
            }
            run = run with { Replications = (int)patients };
        }
        var plan = DocumentReader.Read(root.Value, map =>
        {
            map.Allow([.. DrugTrialReader.Keys, "kind", "name", "run"]);
            if (map.Text("kind") is { } named && named != DrugTrialKind.KindName)
            {
                throw map.Required("kind", "").Error($"is '{named}'; doppel trial drug reads '{DrugTrialKind.KindName}' documents");
            }
            var settings = run;
            if (map.Map("run", "a mapping: { replications, seed }") is { } section)
            {
                section.Allow("replications", "seed");
                settings = settings with
                {
                    Replications = context.Number("patients") is null ? section.Integer("replications") ?? settings.Replications : settings.Replications,
                    Seed = section.UnsignedInteger("seed") ?? settings.Seed,
                };
                if (settings.Replications is < 2 or > 1_000_000)
                {
                    throw section.Required("replications", "").Error($"must be from 2 to 1000000 patients, got {settings.Replications}");
                }
            }
            var trial = DrugTrialReader.Read(map, settings);
            return trial.Problem() is { } problem ? throw map.Error(problem) : trial;
        });
        if (!plan.IsSuccess)
        {
            return VerbResult.Usage($"{document.Source}: {plan.Error.Message}");
        }
        var trialPlan = plan.Value;
        if (context.Number("seed") is { } seed)
        {
            if (seed < 0 || seed != Math.Floor(seed))
            {
                return VerbResult.Usage("--seed must be a whole number, 0 or more.");
            }
            trialPlan = trialPlan with { Run = trialPlan.Run with { Seed = (ulong)seed } };
        }
        var total = trialPlan.Run.Replications * trialPlan.Regimens.Count;
        var progress = new Progress<ExperimentProgress>(p =>
        {
            if (p.Completed % Math.Max(1, total / 10) == 0)
            {
                context.Error.WriteLine(Invariant($"{p.Completed}/{total} patient-regimens"));
            }
        });
        var result = DrugTrial.Run(trialPlan, progress, ct);
        if (context.Flag("json"))
        {
            var json = ExperimentJson.Seal(DrugTrial.ToJson(trialPlan, result), DrugTrialKind.KindName, trialPlan.Run);
            await context.Out.WriteLineAsync(json.ToJsonString(Indented));
            return VerbResult.Ok;
        }
        var target = trialPlan.Target;
        var baseline = trialPlan.Regimens[0].Name;
        await context.Out.WriteLineAsync(Invariant($"{trialPlan.Run.Replications} virtual patients ({trialPlan.Model.Name}), the same in every arm (seed {trialPlan.Run.Seed}); target AUC24 {target.AucLow:G}–{target.AucHigh:G} mg·h/L at steady state; mean ± 95% half-width:"));
        await context.Out.WriteLineAsync($"regimen\tin target\tbelow\tabove\tAUC24\ttrough\tmg/day\tin target vs {baseline}");
        foreach (var scenario in result.Scenarios)
        {
            var versus = scenario.Scenario.Name == baseline ? "" : Compare(result.Compare(baseline, scenario.Scenario.Name, "inTarget"));
            await context.Out.WriteLineAsync(Invariant($"{scenario.Scenario.Name}\t{Pct(scenario["inTarget"])}\t{Pct(scenario["below"])}\t{Pct(scenario["above"])}\t{scenario["auc24"].Mean:F0} ± {scenario["auc24"].HalfWidth:F0}\t{scenario["trough"].Mean:F1} ± {scenario["trough"].HalfWidth:F1}\t{scenario["dailyDose"].Mean:F0}\t{versus}"));
        }
        return VerbResult.Ok;

        static string Pct(KpiSummary k) => Invariant($"{k.Mean:P1} ± {k.HalfWidth:P1}");

        static string Compare(Comparison c) => Invariant($"{c.Difference * 100:+0.0;-0.0} ± {c.HalfWidth * 100:F1} points{(c.IsSignificant ? " *" : "")}");
    }

    private static Result<DosingCase> ReadCase(VerbContext context, bool needsModel)
    {
        var document = context.Document("file")!;
        var read = DocumentReader.Read(document.Text, root => DosingCaseReader.Read(root, needsModel));
        return read.IsSuccess ? read : Result<DosingCase>.Fail(read.Error with { Message = $"{document.Source}: {read.Error.Message}" });
    }

    private static double MaxRelative(double[] a, double[] b)
    {
        var worst = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            if (b[i] != 0)
            {
                worst = Math.Max(worst, Math.Abs(a[i] - b[i]) / Math.Abs(b[i]));
            }
        }
        return worst;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
