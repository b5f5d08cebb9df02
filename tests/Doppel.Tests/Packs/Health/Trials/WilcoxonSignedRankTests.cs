using Doppel.Packs.Health.Trials;

namespace Doppel.Tests.Packs.Health.Trials;

public sealed class WilcoxonSignedRankTests
{
    [Fact]
    public void Exact_p_value_matches_R_on_its_documented_example()
    {
        // R's ?wilcox.test (Hollander & Wolfe, depression scale): paired, V = 40, one-sided p = 0.01953, so two-sided 0.03906.
        double[] x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
        double[] y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
        var differences = x.Zip(y, (a, b) => a - b).ToArray();

        var result = WilcoxonSignedRank.Test(differences);

        Assert.Equal(40, result.WPlus);
        Assert.Equal(9, result.Pairs);
        Assert.True(result.Exact);
        Assert.Equal(20.0 / 512, result.PValue, 1e-12);
    }

    [Fact]
    public void All_positive_differences_give_the_smallest_exact_p()
    {
        var result = WilcoxonSignedRank.Test([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

        Assert.Equal(55, result.WPlus);
        Assert.Equal(2.0 / 1024, result.PValue, 1e-15);
    }

    [Fact]
    public void Zero_differences_are_dropped_and_none_left_means_no_evidence()
    {
        Assert.Equal(new WilcoxonResult(0, 0, 1, true), WilcoxonSignedRank.Test([0, 0, 0]));
        Assert.Equal(3, WilcoxonSignedRank.Test([0, 1, -2, 3]).Pairs);
    }

    [Fact]
    public void Ties_use_the_normal_approximation_with_corrections_as_R()
    {
        // Tied magnitudes get their mean rank: 1 (×3) → 2, 2 (×3) → 5, 3 → 7, 4 (×2) → 8.5, 5 → 10; W⁺ = 2·2 + 2·5 + 7 + 2·8.5 + 10.
        var result = WilcoxonSignedRank.Test([1, 1, 2, 2, 3, -1, 4, 4, 5, -2]);

        Assert.False(result.Exact);
        Assert.Equal(48, result.WPlus);
        // Magnitudes 1 (×3), 2 (×3), 3, 4 (×2), 5: tie term (24 + 24 + 6) / 48.
        var variance = (10 * 11 * 21 / 24.0) - (54.0 / 48);
        var z = (48 - 27.5 - 0.5) / Math.Sqrt(variance);
        var p = 2 * (1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, z));
        Assert.Equal(p, result.PValue, 1e-9);
    }

    [Fact]
    public void Under_the_null_the_test_rejects_about_five_percent()
    {
        // Symmetric differences (median zero): the exact test's size at 0.05 is at most 0.05.
        var random = new Random(11);
        var rejections = 0;
        const int Trials = 2000;
        for (var t = 0; t < Trials; t++)
        {
            var d = Enumerable.Range(0, 15).Select(_ => random.NextDouble() - 0.5).ToArray();
            rejections += WilcoxonSignedRank.Test(d).PValue < 0.05 ? 1 : 0;
        }
        // Binomial(2000, ≤ 0.05): mean ≤ 100, sd ≈ 9.7; the exact test is a little conservative at n = 15.
        Assert.InRange(rejections, 60, 130);
    }
}
