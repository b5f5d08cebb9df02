using System.Globalization;
using Doppel.Simulation.Experiments;
using Doppel.Simulation.Optimization;

namespace Doppel.Packs.Manufacturing;

/// <summary>
/// The buffer allocation with the highest throughput under a budget (<c>optimize: buffers</c>), by a genetic search on
/// common random numbers, then confirmed against the baseline on fresh replications: the best of many candidates
/// looks better than it is.
/// </summary>
public sealed class BufferOptimization(LineScenarioFile file, BufferBudget budget) : IOptimization
{
    public string StepName => "generations";

    public int Steps => budget.Generations;

    public Report Run(IProgress<ExperimentProgress>? progress, CancellationToken ct)
    {
        var baseline = file.Baseline;
        var slots = baseline.Buffers.Count;
        var problem = Problem(budget, slots);
        var options = new AllocationOptimizerOptions { Seed = file.Run.Seed, Replications = budget.Replications, Generations = budget.Generations, PopulationSize = budget.Population };
        double Throughput(IReadOnlyList<int> buffers, ulong seed) =>
            new ProductionLine(new Simulation.Simulation(seed), baseline with { Buffers = buffers }).Run(file.Run.Duration, file.Run.Warmup, ct).Throughput;
        var generations = progress is null ? null : new Progress<int>(g => progress.Report(new ExperimentProgress(g, budget.Generations)));
        var start = problem.IsFeasible(baseline.Buffers) ? baseline.Buffers : null;
        var result = new AllocationOptimizer(problem, options).Maximize(Throughput, generations, start, ct);
        var rows = new List<IReadOnlyList<string>> { Row("best", result.Best, result.Objective) };
        if (problem.IsFeasible(baseline.Buffers) && result.Candidates.TryGetValue(string.Join(',', baseline.Buffers), out var current))
        {
            rows.Add(Row("baseline", baseline.Buffers, current));
        }
        var confirm = LineExperiment.Run(file with
        {
            Run = file.Run with { Seed = file.Run.Seed + 1 },
            WhatIf = new Dictionary<string, LineDefinition> { ["optimized"] = baseline with { Buffers = result.Best } },
        }, ct: ct);
        var gain = confirm.Compare(LineExperiment.Baseline, "optimized", "throughput");
        return new Report(
        [
            new ReportText($"Searched {result.Evaluated} allocations of {budget.Budget} buffer places over {slots} buffers ({budget.Replications} replications each, the same seeds for all):"),
            new ReportTable(["", "buffers", "throughput"], rows),
            new ReportText(string.Create(CultureInfo.InvariantCulture,
                $"On {file.Run.Replications} fresh replications: throughput {gain.Difference:+0.#####;-0.#####} ± {gain.HalfWidth:G3} ({gain.PercentChange:+0.0;-0.0}%) against the baseline, {(gain.IsSignificant ? "significant" : "not significant")} at 95%.")),
        ]);
    }

    /// <summary>The allocation problem of a budget over the line's buffers (checked when the file is read).</summary>
    internal static AllocationProblem Problem(BufferBudget budget, int slots) =>
        new(budget.Budget, Enumerable.Repeat(budget.Min, slots).ToArray(), Enumerable.Repeat(Math.Min(budget.Max, budget.Budget), slots).ToArray());

    private static string[] Row(string label, IReadOnlyList<int> buffers, KpiSummary kpi) =>
        [label, $"[{string.Join(", ", buffers)}]", string.Create(CultureInfo.InvariantCulture, $"{kpi.Mean:G5} ± {kpi.HalfWidth:G3}")];
}
