using System.Text.Json.Nodes;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Manufacturing;

/// <summary>A line scenario file ready to run or optimize.</summary>
public sealed class LineExperimentPlan(LineScenarioFile file) : IExperimentPlan
{
    public LineScenarioFile File { get; } = file;

    public RunSettings Run => File.Run;

    public int Total => (File.WhatIf.Count + 1) * File.Run.Replications;

    public IOptimization? Optimization => File.Maintenance is { } maintenance ? new MaintenanceOptimization(File, maintenance)
        : File.Optimize is { } budget ? new BufferOptimization(File, budget)
        : null;

    public IExperimentPlan WithRun(RunSettings run) => new LineExperimentPlan(File with { Run = run });

    public JsonObject Execute(IProgress<ExperimentProgress>? progress, CancellationToken ct) => LineExperiment.ToJson(LineExperiment.Run(File, progress, ct));
}
