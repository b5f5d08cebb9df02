namespace Doppel.Packs;

/// <summary>
/// A chart of a result: <see cref="Kpi"/> for each scenario with its interval, and optionally, for the baseline, every
/// KPI whose name starts with <see cref="BreakdownPrefix"/> (per station, per room), with the rest of its name as the label.
/// </summary>
public sealed record ResultPlot(string Kpi, string Title, string Axis)
{
    public string? BreakdownPrefix { get; init; }

    public string? BreakdownTitle { get; init; }

    /// <summary>The breakdown's axis top (1.05 for shares); null to fit the data.</summary>
    public double? BreakdownMax { get; init; }
}
