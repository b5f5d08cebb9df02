using System.Text.Json.Nodes;
using Doppel.Packs.Health.Drugs.Internal;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// Scenario files of kind <c>drug-trial</c>: dosing regimens compared on one virtual cohort (<c>doppel trial drug FILE</c>,
/// <c>doppel simulate FILE</c>, <c>POST /doppel/experiments</c>); see <see cref="DrugTrial"/>.
/// </summary>
public sealed class DrugTrialKind : IExperimentKind
{
    public const string KindName = "drug-trial";

    public string Name => KindName;

    public string Description => "Dosing regimens compared on a virtual cohort drawn from a population PK model: the share of patients whose steady-state AUC24 is in the target, below and above, with 95% confidence intervals and paired differences from the first regimen.";

    public IReadOnlyCollection<string> Keys => DrugTrialReader.Keys;

    /// <summary>200 patients, seed 1 (the duration is not used: AUC24 is at steady state).</summary>
    public RunSettings RunDefaults { get; } = new() { Duration = 24, Warmup = 0, Replications = 200 };

    public ResultView View => DrugTrial.View;

    public bool Recognizes(DocumentMap document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Contains("regimens") && document.Contains("model");
    }

    public IExperimentPlan Read(ExperimentDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var plan = DrugTrialReader.Read(document.Root, document.Run);
        return plan.Problem() is { } problem ? throw document.Root.Error(problem) : new Plan(plan);
    }

    private sealed class Plan(DrugTrialPlan plan) : IExperimentPlan
    {
        public RunSettings Run => plan.Run;

        public int Total => plan.Run.Replications * plan.Regimens.Count;

        public IOptimization? Optimization => null;

        public IExperimentPlan WithRun(RunSettings run) => new Plan(plan with { Run = run });

        public JsonObject Execute(IProgress<ExperimentProgress>? progress, CancellationToken ct) => DrugTrial.ToJson(plan, DrugTrial.Run(plan, progress, ct));
    }
}
