using System.Text.Json.Nodes;
using Doppel.Packs.Health.Drugs.Internal;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// Scenario files of kind <c>vancomycin-dosing</c>: a patient's covariates, doses and measured levels in, the Bayesian
/// recommendation with its posterior out (<see cref="DosingAdvice"/>); what the console's dosing page posts to
/// <c>POST /doppel/experiments</c>. The model defaults to Goti et al. 2018.
/// </summary>
public sealed class VancomycinDosingKind : IExperimentKind
{
    public const string KindName = "vancomycin-dosing";

    public string Name => KindName;

    public string Description => "A vancomycin dose from a patient's measured levels: the MAP estimate of their parameters with its Laplace uncertainty (Goti et al. 2018 as the prior), then the regimen with the highest posterior probability of a steady-state AUC24 in 400–600 mg·h/L, with predicted concentration bands.";

    public IReadOnlyCollection<string> Keys => DosingCaseReader.Keys;

    /// <summary>
    /// The posterior is computed once, not replicated: the seed drives its draws; replications are not used (2 because
    /// the host's run settings ask at least that of every kind).
    /// </summary>
    public RunSettings RunDefaults { get; } = new() { Duration = 24, Warmup = 0, Replications = 2 };

    /// <summary>The recommended regimen beside the current one: AUC24 at the MAP estimate, the probability of the target, the trough.</summary>
    public ResultView View { get; } = new()
    {
        Columns = [new KpiColumn("auc24", "AUC24"), new KpiColumn("probabilityInTarget", "P(target)"), new KpiColumn("dailyDose", "mg/day")],
        Fields = ["regimen"],
        Baseline = "current",
        Describe = result => result["recommendation"]?["text"] is { } text ? $"Recommended: {text}; the posterior and the predicted curves are in the JSON output (--json)." : null,
    };

    public bool Recognizes(DocumentMap document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Contains("levels") && document.Contains("patient");
    }

    public IExperimentPlan Read(ExperimentDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var root = document.Root;
        var dosing = DosingCaseReader.Read(root, needsModel: false, defaultModel: Vancomycin.Goti2018);
        if (dosing.Levels.Count == 0)
        {
            throw root.Error("'levels' is required: at least one measured level { time, value }");
        }
        return new Plan(dosing, document.Run);
    }

    private sealed class Plan(DosingCase dosing, RunSettings run) : IExperimentPlan
    {
        public RunSettings Run => run;

        public int Total => 1;

        public IOptimization? Optimization => null;

        public IExperimentPlan WithRun(RunSettings settings) => new Plan(dosing, settings);

        public JsonObject Execute(IProgress<ExperimentProgress>? progress, CancellationToken ct)
        {
            var advice = DosingAdvice.For(dosing, run.Seed);
            if (!advice.IsSuccess)
            {
                throw new InvalidOperationException(advice.Error.Message);
            }
            var json = advice.Value.ToJson(run.Seed);
            var scenarios = new JsonArray();
            if (json["current"] is JsonObject current)
            {
                scenarios.Add(Scenario("current", current));
            }
            scenarios.Add(Scenario("recommended", (JsonObject)json["recommendation"]!));
            json["scenarios"] = scenarios;
            progress?.Report(new ExperimentProgress(1, 1));
            return json;
        }

        private static JsonObject Scenario(string name, JsonObject regimen) => new()
        {
            ["name"] = name,
            ["replications"] = 1,
            ["regimen"] = regimen["text"]?.DeepClone(),
            ["kpis"] = new JsonObject
            {
                ["auc24"] = new JsonObject { ["mean"] = regimen["auc24"]?.DeepClone(), ["halfWidth"] = 0 },
                ["probabilityInTarget"] = new JsonObject { ["mean"] = regimen["probabilityInTarget"]?.DeepClone(), ["halfWidth"] = 0 },
                ["dailyDose"] = new JsonObject { ["mean"] = regimen["dailyDose"]?.DeepClone(), ["halfWidth"] = 0 },
            },
        };
    }
}
