using Doppel.Packs.Mobility.Validation;

namespace Doppel.Tests.Mobility.Validation;

public sealed class KolmogorovSmirnovTests
{
    [Fact]
    public void The_statistic_and_p_value_agree_with_scipy()
    {
        // scipy 1.10 stats.ks_2samp(a, b, method='asymp'): statistic 0.15, pvalue 0.1903 (its kstwo at the effective size).
        double[] a = [.. Enumerable.Repeat(Enumerable.Range(1, 20).Select(i => (double)i), 5).SelectMany(x => x)];
        double[] b = [.. a.Select(x => x + 2.5)];

        var test = KolmogorovSmirnov.Test(a, b);

        Assert.Equal(0.15, test.Statistic, 12);
        Assert.Equal(0.1903, test.PValue, 0.005);
        Assert.True(test.Passes(0.05));
    }

    [Fact]
    public void Ties_step_both_distributions_at_once()
    {
        // scipy: ks_2samp([1,1,2,2,3], [1,2,2,3,3,3]).statistic == 0.3
        var test = KolmogorovSmirnov.Test([1, 1, 2, 2, 3], [1, 2, 2, 3, 3, 3]);

        Assert.Equal(0.3, test.Statistic, 12);
        Assert.True(test.PValue > 0.8);
    }

    [Theory]
    [InlineData(0.5, 0.9639452436648751)]
    [InlineData(1.0, 0.26999967167735456)]
    [InlineData(1.36, 0.0494)]
    public void The_limiting_tail_is_Kolmogorovs_distribution(double lambda, double scipyKstwobignSf)
    {
        Assert.Equal(scipyKstwobignSf, KolmogorovSmirnov.LimitingTail(lambda), 3);
    }

    [Fact]
    public void Samples_from_shifted_distributions_are_rejected_and_identical_ones_are_not()
    {
        var random = new Random(7);
        double[] a = [.. Enumerable.Range(0, 2000).Select(_ => random.NextDouble() * 100)];
        double[] b = [.. Enumerable.Range(0, 2000).Select(_ => random.NextDouble() * 100)];

        Assert.True(KolmogorovSmirnov.Test(a, b).Passes(0.05));
        Assert.False(KolmogorovSmirnov.Test(a, [.. b.Select(x => x * 1.1)]).Passes(0.05));
        Assert.Equal(0, KolmogorovSmirnov.Test(a, a).Statistic);
    }
}
