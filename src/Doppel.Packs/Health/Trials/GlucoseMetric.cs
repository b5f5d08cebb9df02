namespace Doppel.Packs.Health.Trials;

/// <summary>An outcome a trial summarises and compares: its key (for JSON and options), a column label, and how it is read off a run's metrics.</summary>
public sealed record GlucoseMetric(string Key, string Label, Func<GlucoseMetrics, double> Of)
{
    public static GlucoseMetric TimeInRange { get; } = new("tir", "TIR 70-180 %", m => m.TimeInRange);
    public static GlucoseMetric Below70 { get; } = new("below70", "<70 %", m => m.Below70);
    public static GlucoseMetric Below54 { get; } = new("below54", "<54 %", m => m.Below54);
    public static GlucoseMetric Above180 { get; } = new("above180", ">180 %", m => m.Above180);
    public static GlucoseMetric Above250 { get; } = new("above250", ">250 %", m => m.Above250);
    public static GlucoseMetric MeanGlucose { get; } = new("mean", "mean BG", m => m.MeanGlucose);
    public static GlucoseMetric Lbgi { get; } = new("lbgi", "LBGI", m => m.Lbgi);
    public static GlucoseMetric Hbgi { get; } = new("hbgi", "HBGI", m => m.Hbgi);
    public static GlucoseMetric RiskIndex { get; } = new("risk", "RI", m => m.RiskIndex);

    /// <summary>Every metric, in the order tables show them.</summary>
    public static IReadOnlyList<GlucoseMetric> All { get; } = [TimeInRange, Below70, Below54, Above180, Above250, MeanGlucose, Lbgi, Hbgi, RiskIndex];
}
