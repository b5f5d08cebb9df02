using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Manufacturing;

/// <summary>
/// Runs a scenario file: the baseline and each what-if for the same replications, with common random numbers so that the
/// comparisons are paired, in parallel and deterministically. KPIs per replication: throughput, wip, leadTime, and for
/// each station utilization, oee and the mean active period (which finds the bottleneck), and the share of time cooling
/// for stations with a thermal limit in any scenario.
/// </summary>
public static class LineExperiment
{
    public const string Baseline = ExperimentJson.Baseline;

    /// <summary>How hosts print and plot a line's results: throughput, WIP and lead time with the bottleneck, the same compared with the baseline, and a chart of throughput and the baseline's utilization.</summary>
    public static ResultView View { get; } = new()
    {
        Columns = [new("throughput", "throughput"), new("wip", "WIP"), new("leadTime", "lead time")],
        Fields = ["bottleneck"],
        Compared = [new("throughput", "throughput"), new("wip", "WIP"), new("leadTime", "lead time")],
        Plot = new ResultPlot("throughput", "Throughput (95% interval)", "good parts per time unit")
        {
            BreakdownPrefix = "utilization.",
            BreakdownTitle = "Baseline utilization",
            BreakdownMax = 1.05,
        },
        Describe = DescribeFork,
    };

    /// <param name="file">The baseline, the what-ifs and the run.</param>
    /// <param name="progress">Reports replications done.</param>
    /// <param name="ct">Stops the experiment.</param>
    /// <param name="maxDegreeOfParallelism">Cores to use (all by default); the results do not depend on it.</param>
    /// <param name="initial">Where every scenario starts (the live line's state); empty and all up by default.</param>
    public static ExperimentResult Run(LineScenarioFile file, IProgress<ExperimentProgress>? progress = null, CancellationToken ct = default, int? maxDegreeOfParallelism = null, LineState? initial = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        var lines = new List<(string Name, LineDefinition Line)> { (Baseline, file.Baseline) };
        lines.AddRange(file.WhatIf.Select(w => (w.Key, w.Value)));
        var thermal = lines.SelectMany(l => l.Line.Stations).Where(s => s.Thermal is not null).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var options = new ExperimentOptions { Seed = file.Run.Seed, Replications = file.Run.Replications };
        if (maxDegreeOfParallelism is { } cores)
        {
            options = options with { MaxDegreeOfParallelism = cores };
        }
        return new ExperimentRunner(options).Run([.. lines.Select(l => new Scenario(l.Name))], (context, token) =>
        {
            var result = new ProductionLine(new Doppel.Simulation.Simulation(context.Seed), lines[context.ScenarioIndex].Line, initial).Run(file.Run.Duration, file.Run.Warmup, token);
            var kpis = new Dictionary<string, double>
            {
                ["throughput"] = result.Throughput,
                ["wip"] = result.MeanWip,
                ["leadTime"] = result.MeanLeadTime,
            };
            foreach (var station in result.Stations)
            {
                kpis[$"utilization.{station.Name}"] = station.Utilization;
                kpis[$"oee.{station.Name}"] = station.Oee;
                kpis[$"activePeriod.{station.Name}"] = station.MeanActivePeriod;
                if (thermal.Contains(station.Name))
                {
                    kpis[$"cooling.{station.Name}"] = station.Cooling;
                }
            }
            return kpis;
        }, progress, ct);
    }

    /// <summary>The station with the longest mean active period over the replications of a scenario.</summary>
    public static string Bottleneck(ScenarioResult scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return scenario.KpiNames.Where(k => k.StartsWith("activePeriod.", StringComparison.Ordinal))
            .MaxBy(k => scenario[k].Mean)!["activePeriod.".Length..];
    }

    /// <summary>
    /// The result as JSON (<see cref="ExperimentJson"/>'s shape): per scenario its bottleneck, its KPIs (mean,
    /// half-width), and for a what-if its paired comparisons with the baseline, throughput's also as <c>throughputVsBaseline</c>.
    /// </summary>
    public static JsonObject ToJson(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return ExperimentJson.Write(result, View, (s, entry) =>
        {
            entry["bottleneck"] = Bottleneck(s);
            if (s.Scenario.Name != Baseline)
            {
                entry["throughputVsBaseline"] = ExperimentJson.Comparison(result.Compare(Baseline, s.Scenario.Name, "throughput"));
            }
        });
    }

    /// <summary>Where a fork of a live line started: its buffer levels, machines down and parts held.</summary>
    private static string? DescribeFork(JsonObject result)
    {
        if (result["line"] is null)
        {
            return null;
        }
        var state = result["initialState"];
        string List(string name) => string.Join(", ", state?[name]?.AsArray().Select(n => n?.ToString()) ?? []);
        return string.Create(CultureInfo.InvariantCulture,
            $"Line {result["line"]} from {result["start"]}: buffer levels [{List("bufferLevels")}], down: [{List("stationsDown")}], parts on stations: [{List("stationsHoldingParts")}], work in progress {state?["workInProgress"]}");
    }
}
