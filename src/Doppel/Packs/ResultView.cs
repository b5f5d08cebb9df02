using System.Text.Json.Nodes;

namespace Doppel.Packs;

/// <summary>
/// How a host shows a kind's results (in <see cref="ExperimentJson"/>'s shape) without knowing the kind: the KPIs to
/// print per scenario, text fields beside them, the KPIs compared with the baseline, and what to plot.
/// </summary>
public sealed record ResultView
{
    /// <summary>KPIs printed for each scenario as mean ± half-width, in order.</summary>
    public required IReadOnlyList<KpiColumn> Columns { get; init; }

    /// <summary>Text fields of each scenario printed after the KPIs (<c>bottleneck</c>).</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    /// <summary>KPIs compared with the baseline (paired differences); the first decides what "significant" refers to.</summary>
    public IReadOnlyList<KpiColumn> Compared { get; init; } = [];

    /// <summary>The scenario others are compared with.</summary>
    public string Baseline { get; init; } = ExperimentJson.Baseline;

    /// <summary>What to draw (<c>--plot</c>); null when the kind draws nothing.</summary>
    public ResultPlot? Plot { get; init; }

    /// <summary>A line about a result before its tables (where a fork started), or null for none.</summary>
    public Func<JsonObject, string?>? Describe { get; init; }

    /// <summary>The view as <c>GET /doppel/packs</c> lists it.</summary>
    public JsonObject ToJson() => new()
    {
        ["columns"] = Kpis(Columns),
        ["fields"] = new JsonArray([.. Fields.Select(f => (JsonNode)f)]),
        ["compared"] = Kpis(Compared),
        ["baseline"] = Baseline,
        ["plot"] = Plot is { } plot ? new JsonObject
        {
            ["kpi"] = plot.Kpi,
            ["title"] = plot.Title,
            ["axis"] = plot.Axis,
            ["breakdownPrefix"] = plot.BreakdownPrefix,
            ["breakdownTitle"] = plot.BreakdownTitle,
            ["breakdownMax"] = plot.BreakdownMax,
        } : null,
    };

    private static JsonArray Kpis(IEnumerable<KpiColumn> columns) =>
        new([.. columns.Select(c => (JsonNode)new JsonObject { ["kpi"] = c.Kpi, ["label"] = c.Label })]);
}
