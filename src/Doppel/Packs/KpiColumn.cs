namespace Doppel.Packs;

/// <summary>A KPI and the label people see for it.</summary>
public sealed record KpiColumn(string Kpi, string Label);
