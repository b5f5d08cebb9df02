namespace Doppel.Simulation.Experiments;

/// <summary>
/// The difference alternative − baseline in one KPI with its confidence interval: paired t over replications that
/// shared seeds (common random numbers), or Welch's unequal-variance t when the scenarios drew independent numbers.
/// </summary>
public sealed record Comparison
{
    /// <summary>The baseline scenario.</summary>
    public required string Baseline { get; init; }

    /// <summary>The alternative scenario.</summary>
    public required string Alternative { get; init; }

    /// <summary>The KPI compared.</summary>
    public required string Kpi { get; init; }

    /// <summary>Whether replications were paired (common random numbers) rather than compared by Welch's test.</summary>
    public required bool Paired { get; init; }

    /// <summary>The mean difference, alternative − baseline.</summary>
    public required double Difference { get; init; }

    /// <summary>Half the width of the difference's confidence interval.</summary>
    public required double HalfWidth { get; init; }

    /// <summary>The degrees of freedom of the t interval (fractional for Welch).</summary>
    public required double DegreesOfFreedom { get; init; }

    /// <summary>The confidence level of the interval.</summary>
    public required double ConfidenceLevel { get; init; }

    /// <summary>The baseline's mean, the reference of <see cref="PercentChange"/>.</summary>
    public required double BaselineMean { get; init; }

    /// <summary>The lower end of the interval.</summary>
    public double Lower => Difference - HalfWidth;

    /// <summary>The upper end of the interval.</summary>
    public double Upper => Difference + HalfWidth;

    /// <summary>The difference as a percentage of the baseline mean.</summary>
    public double PercentChange => 100 * Difference / BaselineMean;

    /// <summary>Whether the interval excludes zero, i.e. the scenarios differ at this confidence level.</summary>
    public bool IsSignificant => Lower > 0 || Upper < 0;

    /// <summary>The paired-t comparison over the first min(n₁, n₂) replications, which shared seeds.</summary>
    public static Comparison PairedT(string baseline, IReadOnlyList<double> baselineValues, string alternative,
        IReadOnlyList<double> alternativeValues, string kpi, double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(baselineValues);
        ArgumentNullException.ThrowIfNull(alternativeValues);
        var n = Math.Min(baselineValues.Count, alternativeValues.Count);
        var differences = new double[n];
        var baselineSum = 0.0;
        for (var i = 0; i < n; i++)
        {
            differences[i] = alternativeValues[i] - baselineValues[i];
            baselineSum += baselineValues[i];
        }
        var summary = KpiSummary.Of(differences, confidenceLevel);
        return new Comparison
        {
            Baseline = baseline,
            Alternative = alternative,
            Kpi = kpi,
            Paired = true,
            Difference = summary.Mean,
            HalfWidth = summary.HalfWidth,
            DegreesOfFreedom = n - 1,
            ConfidenceLevel = confidenceLevel,
            BaselineMean = baselineSum / n,
        };
    }

    /// <summary>Welch's interval for the difference of means of independent samples with unequal variances.</summary>
    public static Comparison Welch(string baseline, KpiSummary baselineSummary, string alternative, KpiSummary alternativeSummary,
        string kpi, double confidenceLevel = 0.95)
    {
        ArgumentNullException.ThrowIfNull(baselineSummary);
        ArgumentNullException.ThrowIfNull(alternativeSummary);
        var va = baselineSummary.Variance / baselineSummary.Count;
        var vb = alternativeSummary.Variance / alternativeSummary.Count;
        var se2 = va + vb;
        // Welch–Satterthwaite; with both variances zero the difference is exact, and any df gives a zero-width interval.
        var df = se2 > 0
            ? se2 * se2 / ((va * va / (baselineSummary.Count - 1)) + (vb * vb / (alternativeSummary.Count - 1)))
            : baselineSummary.Count + alternativeSummary.Count - 2;
        var halfWidth = baselineSummary.Count > 1 && alternativeSummary.Count > 1
            ? StudentT.CriticalValue(confidenceLevel, df) * Math.Sqrt(se2)
            : double.PositiveInfinity;
        return new Comparison
        {
            Baseline = baseline,
            Alternative = alternative,
            Kpi = kpi,
            Paired = false,
            Difference = alternativeSummary.Mean - baselineSummary.Mean,
            HalfWidth = halfWidth,
            DegreesOfFreedom = df,
            ConfidenceLevel = confidenceLevel,
            BaselineMean = baselineSummary.Mean,
        };
    }
}
