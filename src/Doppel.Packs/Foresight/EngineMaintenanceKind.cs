using System.Text.Json.Nodes;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Foresight;

/// <summary>
/// Scenario files of kind <c>engine-maintenance</c> (<see cref="EngineMaintenanceFile"/>): a fleet's predictions, crew
/// capacity and costs in, a service plan out (<c>doppel simulate FILE</c>, <c>doppel optimize FILE</c>, <c>POST /doppel/experiments</c>).
/// </summary>
public sealed class EngineMaintenanceKind : IExperimentKind
{
    public const string KindName = "engine-maintenance";

    public string Name => KindName;

    public string Description => "When to service each engine of a fleet, given its predicted remaining lives and their intervals, the crew's capacity per period and the costs of service, failure, grounding and unused life: the kernel's optimizer over simulated horizons, compared with the rule and with running to failure.";

    public IReadOnlyCollection<string> Keys => EngineMaintenanceFile.Keys;

    public RunSettings RunDefaults => EngineMaintenanceFile.RunDefaults;

    public ResultView View => EngineMaintenanceStudy.View;

    public bool Recognizes(DocumentMap document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document["fleet"] is DocumentMap fleet && fleet.Contains("engines");
    }

    public IExperimentPlan Read(ExperimentDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new Plan(new EngineMaintenanceStudy(EngineMaintenanceFile.Read(document.Root, document.Run)));
    }

    /// <summary>A file ready to run: simulate and optimize do the same search, one answering in KPIs and the plan, the other as a report.</summary>
    private sealed class Plan(EngineMaintenanceStudy study) : IExperimentPlan, IOptimization
    {
        public RunSettings Run => study.File.Run;

        public int Total => study.Total;

        public IOptimization? Optimization => this;

        public string StepName => "generations";

        public int Steps => study.Total;

        public IExperimentPlan WithRun(RunSettings run) =>
            new Plan(new EngineMaintenanceStudy(study.File with { Run = EngineMaintenanceFile.Horizon(run, study.File.Problem) }));

        public JsonObject Execute(IProgress<ExperimentProgress>? progress, CancellationToken ct) => study.Execute(progress, ct);

        Report IOptimization.Run(IProgress<ExperimentProgress>? progress, CancellationToken ct) => study.Report(progress, ct);
    }
}
