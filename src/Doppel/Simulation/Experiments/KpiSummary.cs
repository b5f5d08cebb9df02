namespace Doppel.Simulation.Experiments;

/// <summary>
/// Statistics of one KPI over replications: mean, sample variance, extremes and a Student t confidence interval
/// for the mean. Computed in replication order, so equal inputs give bit-identical summaries.
/// </summary>
public sealed record KpiSummary
{
    /// <summary>The number of replications.</summary>
    public required int Count { get; init; }

    /// <summary>The sample mean.</summary>
    public required double Mean { get; init; }

    /// <summary>The sample variance (divisor n − 1); NaN below two replications.</summary>
    public required double Variance { get; init; }

    /// <summary>The smallest value.</summary>
    public required double Min { get; init; }

    /// <summary>The largest value.</summary>
    public required double Max { get; init; }

    /// <summary>The confidence level of the interval.</summary>
    public required double ConfidenceLevel { get; init; }

    /// <summary>Half the width of the confidence interval; infinite below two replications.</summary>
    public required double HalfWidth { get; init; }

    /// <summary>The sample standard deviation.</summary>
    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>The standard error of the mean.</summary>
    public double StandardError => Math.Sqrt(Variance / Count);

    /// <summary>The lower end of the confidence interval.</summary>
    public double Lower => Mean - HalfWidth;

    /// <summary>The upper end of the confidence interval.</summary>
    public double Upper => Mean + HalfWidth;

    /// <summary>Summarises <paramref name="values"/> in order, with a t interval at <paramref name="confidenceLevel"/>.</summary>
    public static KpiSummary Of(ReadOnlySpan<double> values, double confidenceLevel = 0.95)
    {
        // The kernel's own accumulator (Welford), so replication summaries and in-model monitors agree to the bit.
        var statistics = new SampleMonitor();
        foreach (var value in values)
        {
            statistics.Add(value);
        }
        var n = (int)statistics.Count;
        var halfWidth = n > 1
            ? StudentT.CriticalValue(confidenceLevel, n - 1) * Math.Sqrt(statistics.Variance / n)
            : double.PositiveInfinity;
        return new KpiSummary
        {
            Count = n,
            Mean = n > 0 ? statistics.Mean : double.NaN,
            Variance = statistics.Variance,
            Min = n > 0 ? statistics.Min : double.NaN,
            Max = n > 0 ? statistics.Max : double.NaN,
            ConfidenceLevel = confidenceLevel,
            HalfWidth = halfWidth,
        };
    }
}
