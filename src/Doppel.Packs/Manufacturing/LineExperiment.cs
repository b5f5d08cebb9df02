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
    public const string Baseline = "baseline";

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
        var options = new ExperimentOptions { Seed = file.Seed, Replications = file.Replications };
        if (maxDegreeOfParallelism is { } cores)
        {
            options = options with { MaxDegreeOfParallelism = cores };
        }
        return new ExperimentRunner(options).Run([.. lines.Select(l => new Scenario(l.Name))], (context, token) =>
        {
            var result = new ProductionLine(new Doppel.Simulation.Simulation(context.Seed), lines[context.ScenarioIndex].Line, initial).Run(file.Duration, file.Warmup, token);
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

    /// <summary>The result as JSON: per scenario its KPIs (mean, half-width), bottleneck, and throughput against the baseline.</summary>
    public static JsonObject ToJson(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var scenarios = new JsonArray();
        foreach (var s in result.Scenarios)
        {
            var kpis = new JsonObject();
            foreach (var name in s.KpiNames)
            {
                kpis[name] = new JsonObject { ["mean"] = s[name].Mean, ["halfWidth"] = s[name].HalfWidth };
            }
            var entry = new JsonObject { ["name"] = s.Scenario.Name, ["replications"] = s.Replications, ["bottleneck"] = Bottleneck(s), ["kpis"] = kpis };
            if (s.Scenario.Name != Baseline)
            {
                var c = result.Compare(Baseline, s.Scenario.Name, "throughput");
                entry["throughputVsBaseline"] = new JsonObject { ["difference"] = c.Difference, ["halfWidth"] = c.HalfWidth, ["percentChange"] = c.PercentChange, ["significant"] = c.IsSignificant };
            }
            scenarios.Add(entry);
        }
        return new JsonObject { ["scenarios"] = scenarios };
    }
}
