using System.Globalization;
using Doppel.Simulation.Experiments;
using Doppel.Simulation.Optimization;

namespace Doppel.Packs.Manufacturing;

/// <summary>
/// The preventive-maintenance interval of one station (<c>optimize: maintenance</c>): listed candidates compared with
/// no maintenance on the same replications, or a range searched by CMA-ES and its result confirmed on fresh replications.
/// </summary>
public sealed class MaintenanceOptimization(LineScenarioFile file, MaintenanceSearch search) : IOptimization
{
    public string StepName => search.Range is null ? "replications" : "generations";

    public int Steps => search.Range is null ? (search.Intervals.Count + 1) * file.Run.Replications : search.Generations;

    public Report Run(IProgress<ExperimentProgress>? progress, CancellationToken ct) =>
        search.Range is { } range ? Search(range, progress, ct) : Choose(progress, ct);

    /// <summary>Each listed interval and none, on the same replications: the best, with its gain over none (paired).</summary>
    private Report Choose(IProgress<ExperimentProgress>? progress, CancellationToken ct)
    {
        var variants = new Dictionary<string, LineDefinition>(StringComparer.Ordinal);
        foreach (var interval in search.Intervals)
        {
            variants[string.Create(CultureInfo.InvariantCulture, $"every {interval:G}")] = Maintained(interval);
        }
        var result = LineExperiment.Run(file with { Baseline = Maintained(null), WhatIf = variants }, progress, ct);
        var rows = result.Scenarios.Select(s =>
        {
            var kpi = s["throughput"];
            var versus = s.Scenario.Name == LineExperiment.Baseline ? null : result.Compare(LineExperiment.Baseline, s.Scenario.Name, "throughput");
            return (IReadOnlyList<string>)
            [
                s.Scenario.Name == LineExperiment.Baseline ? "none" : s.Scenario.Name,
                string.Create(CultureInfo.InvariantCulture, $"{kpi.Mean:G5} ± {kpi.HalfWidth:G3}"),
                versus is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{versus.Difference:+0.#####;-0.#####} ± {versus.HalfWidth:G3}"),
                versus is null ? "" : versus.IsSignificant ? "yes" : "no",
            ];
        }).ToList();
        var best = result.Scenarios.MaxBy(s => s["throughput"].Mean)!;
        return new Report(
        [
            new ReportText($"Preventive maintenance of {search.Station} ({search.Time} each), {file.Run.Replications} replications on the same seeds:"),
            new ReportTable(["interval", "throughput", "vs none", "significant"], rows),
            new ReportText($"Best: {(best.Scenario.Name == LineExperiment.Baseline ? "no maintenance" : "maintenance " + best.Scenario.Name)}."),
        ]);
    }

    /// <summary>
    /// CMA-ES over the range on the simulated throughput, then the search distribution's final mean (on noisy output a
    /// better estimate than the best single candidate) against no maintenance on fresh replications (paired).
    /// </summary>
    private Report Search(IntervalRange range, IProgress<ExperimentProgress>? progress, CancellationToken ct)
    {
        var options = new CmaEsOptions { Seed = file.Run.Seed, Replications = search.Replications, MaxGenerations = search.Generations, Tolerance = 1e-3 };
        double Throughput(double[] x, ulong seed) =>
            new ProductionLine(new Simulation.Simulation(seed), Maintained(x[0])).Run(file.Run.Duration, file.Run.Warmup, ct).Throughput;
        var generations = progress is null ? null : new Progress<CmaEsProgress>(p => progress.Report(new ExperimentProgress(p.Generation, search.Generations)));
        var current = file.Baseline.Stations.First(s => s.Name == search.Station).MaintenanceInterval;
        double[]? start = current is { } c && c >= range.Min && c <= range.Max ? [c] : null;
        var result = new CmaEsOptimizer(new ContinuousProblem([range.Min], [range.Max]), options).Maximize(Throughput, generations, start, ct);
        var interval = result.Mean[0];
        // The best candidate's figure is flattered by having been picked among many: confirm the mean on fresh replications.
        var confirm = LineExperiment.Run(file with
        {
            Run = file.Run with { Seed = file.Run.Seed + 1 },
            Baseline = Maintained(null),
            WhatIf = new Dictionary<string, LineDefinition> { ["maintained"] = Maintained(interval) },
        }, ct: ct);
        var gain = confirm.Compare(LineExperiment.Baseline, "maintained", "throughput");
        var kpi = confirm["maintained"]["throughput"];
        return new Report(
        [
            new ReportText(string.Create(CultureInfo.InvariantCulture,
                $"Preventive maintenance of {search.Station} ({search.Time} each), interval searched in [{range.Min:G}, {range.Max:G}] by CMA-ES: {result.Generations} generations, {result.Evaluations} runs ({search.Replications} replications per candidate, the same seeds within a generation).")),
            new ReportTable(["", "interval", "throughput"],
            [
                ["best candidate", string.Create(CultureInfo.InvariantCulture, $"{result.Best![0]:F1}"), string.Create(CultureInfo.InvariantCulture, $"{result.BestObjective!.Mean:G5} ± {result.BestObjective.HalfWidth:G3}")],
                ["search mean", string.Create(CultureInfo.InvariantCulture, $"{interval:F1}"), ""],
            ]),
            new ReportText(string.Create(CultureInfo.InvariantCulture,
                $"On {file.Run.Replications} fresh replications, maintenance every {interval:F1}: throughput {kpi.Mean:G5} ± {kpi.HalfWidth:G3}, {gain.Difference:+0.#####;-0.#####} ± {gain.HalfWidth:G3} ({gain.PercentChange:+0.0;-0.0}%) against none, {(gain.IsSignificant ? "significant" : "not significant")} at 95%.")),
        ]);
    }

    // The baseline with the searched station maintained every interval (working time), or never when null.
    private LineDefinition Maintained(double? interval)
    {
        var stations = file.Baseline.Stations.ToArray();
        var index = Array.FindIndex(stations, s => s.Name == search.Station);
        stations[index] = stations[index] with { MaintenanceInterval = interval, MaintenanceTime = interval is null ? null : search.Time };
        return file.Baseline with { Stations = stations };
    }
}
