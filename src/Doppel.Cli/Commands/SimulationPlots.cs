using System.Text.Json.Nodes;
using Doppel.Packs;
using ScottPlot;

namespace Doppel.Cli.Commands;

/// <summary>
/// PNG charts of a result as its kind's view says (ScottPlot): the main KPI of each scenario with its 95% interval, and
/// beside it the baseline's breakdown (a KPI per station, per room) when the view has one.
/// </summary>
internal static class SimulationPlots
{
    public static void Save(JsonObject result, ResultView view, string path)
    {
        var plot = view.Plot ?? throw new ArgumentException("The view has nothing to plot.", nameof(view));
        var scenarios = result["scenarios"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        var baseline = scenarios.FirstOrDefault(s => (string?)s["name"] == view.Baseline) ?? scenarios.FirstOrDefault();
        var breakdown = plot.BreakdownPrefix is { } prefix && baseline?["kpis"] is JsonObject kpis
            ? kpis.Where(k => k.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList()
            : [];
        var multiplot = new Multiplot();
        multiplot.AddPlots(breakdown.Count > 0 ? 2 : 1);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();

        var main = multiplot.GetPlot(0);
        main.Add.Bars(scenarios.Select((s, i) => Bar(i, s["kpis"]?[plot.Kpi])).ToArray());
        main.Axes.Bottom.SetTicks([.. Enumerable.Range(0, scenarios.Count).Select(i => (double)i)], [.. scenarios.Select(s => (string?)s["name"] ?? "")]);
        main.Axes.Bottom.TickLabelStyle.FontSize = 10;
        main.Axes.Margins(bottom: 0);
        main.Title(plot.Title);
        main.YLabel(plot.Axis);

        if (breakdown.Count > 0)
        {
            var parts = multiplot.GetPlot(1);
            parts.Add.Bars(breakdown.Select((k, i) => Bar(i, k.Value)).ToArray());
            parts.Axes.Bottom.SetTicks([.. Enumerable.Range(0, breakdown.Count).Select(i => (double)i)], [.. breakdown.Select(k => k.Key[plot.BreakdownPrefix!.Length..])]);
            parts.Axes.Margins(bottom: 0);
            if (plot.BreakdownMax is { } max)
            {
                parts.Axes.SetLimitsY(0, max);
            }
            var fields = string.Join(", ", view.Fields.Where(f => baseline?[f] is not null).Select(f => $"{f}: {baseline![f]}"));
            parts.Title(fields.Length > 0 ? $"{plot.BreakdownTitle} ({fields})" : plot.BreakdownTitle ?? "");
        }
        multiplot.SavePng(path, breakdown.Count > 0 ? 1300 : 650, 450);
    }

    private static Bar Bar(int position, JsonNode? kpi) => new()
    {
        Position = position,
        Value = kpi?["mean"] is JsonValue mean && mean.TryGetValue<double>(out var m) ? m : 0,
        Error = kpi?["halfWidth"] is JsonValue half && half.TryGetValue<double>(out var h) ? h : 0,
    };
}
