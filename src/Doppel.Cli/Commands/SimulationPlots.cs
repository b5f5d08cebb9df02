using Doppel.Packs.Manufacturing;
using Doppel.Simulation.Experiments;
using ScottPlot;

namespace Doppel.Cli.Commands;

/// <summary>PNG charts of an experiment (ScottPlot): throughput per scenario with its 95% interval, and the baseline's station utilization.</summary>
internal static class SimulationPlots
{
    public static void Save(ExperimentResult result, string path)
    {
        var scenarios = result.Scenarios;
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();

        var throughput = multiplot.GetPlot(0);
        var bars = scenarios.Select((s, i) => new Bar { Position = i, Value = s["throughput"].Mean, Error = s["throughput"].HalfWidth }).ToArray();
        throughput.Add.Bars(bars);
        throughput.Axes.Bottom.SetTicks([.. Enumerable.Range(0, scenarios.Count).Select(i => (double)i)], [.. scenarios.Select(s => s.Scenario.Name)]);
        throughput.Axes.Bottom.TickLabelStyle.FontSize = 10;
        throughput.Axes.Margins(bottom: 0);
        throughput.Title("Throughput (95% interval)");
        throughput.YLabel("good parts per time unit");

        var baseline = scenarios[0];
        var stations = baseline.KpiNames.Where(k => k.StartsWith("utilization.", StringComparison.Ordinal)).ToList();
        var utilization = multiplot.GetPlot(1);
        utilization.Add.Bars(stations.Select((k, i) => new Bar { Position = i, Value = baseline[k].Mean, Error = baseline[k].HalfWidth }).ToArray());
        utilization.Axes.Bottom.SetTicks([.. Enumerable.Range(0, stations.Count).Select(i => (double)i)], [.. stations.Select(k => k["utilization.".Length..])]);
        utilization.Axes.Margins(bottom: 0);
        utilization.Axes.SetLimitsY(0, 1.05);
        utilization.Title($"Baseline utilization (bottleneck: {LineExperiment.Bottleneck(baseline)})");

        multiplot.SavePng(path, 1300, 450);
    }
}
