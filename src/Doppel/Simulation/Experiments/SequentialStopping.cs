namespace Doppel.Simulation.Experiments;

/// <summary>
/// Adds replications to a scenario in batches until the confidence interval of every KPI is tight enough: its
/// half-width within <see cref="RelativePrecision"/> × |mean| or within <see cref="AbsolutePrecision"/> (either
/// suffices; the absolute bound serves KPIs whose mean is near zero), or until <see cref="MaxReplications"/>.
/// </summary>
public sealed record SequentialStopping
{
    /// <summary>The largest half-width as a fraction of |mean| (0.05 = ±5%); null for none.</summary>
    public double? RelativePrecision { get; init; }

    /// <summary>The largest half-width in the KPI's units; null for none.</summary>
    public double? AbsolutePrecision { get; init; }

    /// <summary>Replications added per scenario per round.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>The most replications of one scenario.</summary>
    public int MaxReplications { get; init; } = 1000;

    /// <summary>The KPIs that must be precise; null for all.</summary>
    public IReadOnlyList<string>? Kpis { get; init; }

    /// <summary>Whether a KPI's interval meets the precision.</summary>
    public bool IsPrecise(KpiSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return (RelativePrecision is { } relative && summary.HalfWidth <= relative * Math.Abs(summary.Mean))
            || (AbsolutePrecision is { } absolute && summary.HalfWidth <= absolute);
    }

    internal void Validate()
    {
        if (RelativePrecision is null && AbsolutePrecision is null)
        {
            throw new ArgumentException("Sequential stopping needs a relative or an absolute precision.");
        }
        if (RelativePrecision is <= 0 || AbsolutePrecision is <= 0)
        {
            throw new ArgumentException("Precisions are positive.");
        }
        if (BatchSize < 1 || MaxReplications < 2)
        {
            throw new ArgumentException("Sequential stopping needs a batch size of at least 1 and at least 2 replications.");
        }
    }
}
