using Doppel.Simulation.Experiments;

namespace Doppel.Tests.Simulation.Experiments;

/// <summary>KPI summaries and comparisons on small samples worked out by hand.</summary>
public sealed class KpiSummaryTests
{
    [Fact]
    public void Summary_has_the_sample_statistics_and_a_t_interval()
    {
        var summary = KpiSummary.Of([2, 4, 4, 4, 5, 5, 7, 9]);

        Assert.Equal(8, summary.Count);
        Assert.Equal(5, summary.Mean, 14);
        Assert.Equal(32.0 / 7, summary.Variance, 14);
        Assert.Equal(2, summary.Min);
        Assert.Equal(9, summary.Max);
        Assert.Equal(2.3646242510102993 * Math.Sqrt(32.0 / 7 / 8), summary.HalfWidth, 8);
        Assert.Equal(summary.Mean - summary.HalfWidth, summary.Lower);
    }

    [Fact]
    public void Summary_is_stable_for_large_offsets()
    {
        // A naive sum of squares loses every digit here; Welford keeps the variance exact.
        var summary = KpiSummary.Of([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]);

        Assert.Equal(30, summary.Variance, 9);
        Assert.Equal(1e9 + 10, summary.Mean);
    }

    [Fact]
    public void A_single_value_has_an_unbounded_interval()
    {
        var summary = KpiSummary.Of([3.0]);

        Assert.Equal(3, summary.Mean);
        Assert.True(double.IsNaN(summary.Variance));
        Assert.True(double.IsPositiveInfinity(summary.HalfWidth));
    }

    [Fact]
    public void Paired_comparison_is_the_interval_of_the_differences()
    {
        double[] baseline = [10, 12, 9, 11, 13];
        double[] alternative = [11, 13.5, 9.5, 12, 14.5];

        var comparison = Comparison.PairedT("a", baseline, "b", alternative, "kpi");

        var differences = KpiSummary.Of([1, 1.5, 0.5, 1, 1.5]);
        Assert.True(comparison.Paired);
        Assert.Equal(differences.Mean, comparison.Difference);
        Assert.Equal(differences.HalfWidth, comparison.HalfWidth);
        Assert.Equal(4, comparison.DegreesOfFreedom);
        Assert.Equal(100 * 1.1 / 11, comparison.PercentChange, 12);
        Assert.True(comparison.IsSignificant);
    }

    [Fact]
    public void Welch_comparison_uses_the_satterthwaite_degrees_of_freedom()
    {
        var a = KpiSummary.Of([20.0, 22, 19, 21, 23, 20]);
        var b = KpiSummary.Of([25.0, 31, 22, 28, 35, 24, 30, 27]);

        var comparison = Comparison.Welch("a", a, "b", b, "kpi");

        var va = a.Variance / a.Count;
        var vb = b.Variance / b.Count;
        var df = Math.Pow(va + vb, 2) / ((va * va / 5) + (vb * vb / 7));
        Assert.False(comparison.Paired);
        Assert.Equal(b.Mean - a.Mean, comparison.Difference, 14);
        Assert.Equal(df, comparison.DegreesOfFreedom, 12);
        Assert.Equal(StudentT.CriticalValue(0.95, df) * Math.Sqrt(va + vb), comparison.HalfWidth, 12);
    }
}
