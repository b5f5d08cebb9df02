using Doppel.Analytics.Rul;

namespace Doppel.Tests.Analytics.Rul;

public sealed class NasaScoreTests
{
    [Theory]
    [InlineData(-10, 1.158106)]
    [InlineData(10, 1.718282)]
    [InlineData(0, 0)]
    [InlineData(-13, 1.718282)]
    public void The_score_follows_the_PHM08_vectors(double d, double expected) =>
        Assert.Equal(expected, NasaScore.Of(d), 6);

    [Fact]
    public void A_late_prediction_costs_more_than_an_early_one_by_the_same_margin() =>
        Assert.True(NasaScore.Of(20) > NasaScore.Of(-20));

    [Fact]
    public void Evaluation_sums_the_score_and_counts_coverage_against_the_truth()
    {
        var estimates = new[] { new RulEstimate(90, 80, 100), new RulEstimate(30, 25, 35), new RulEstimate(60, 50, 70) };

        var metrics = RulEvaluation.Score(estimates, [100, 20, 60]);

        Assert.Equal(Math.Sqrt((100 + 100 + 0) / 3.0), metrics.Rmse, 9);
        Assert.Equal(NasaScore.Of(-10) + NasaScore.Of(10), metrics.Score, 9);
        Assert.Equal(2 / 3.0, metrics.Coverage, 9);
        Assert.Equal(3, metrics.Units);
    }
}
