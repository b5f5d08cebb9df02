using Doppel.Analytics.Rul.Internal;

namespace Doppel.Tests.Analytics.Rul;

public sealed class ConformalBinsTests
{
    [Fact]
    public void Each_bin_of_predicted_RUL_gets_its_own_width()
    {
        // Low predictions are accurate to ±2, high ones to ±20.
        var random = new Random(1);
        var predicted = Enumerable.Range(0, 2000).Select(i => i < 1000 ? 10 + random.NextDouble() * 20 : 80 + random.NextDouble() * 20).ToArray();
        var truth = predicted.Select(p => p + (p < 50 ? 2 : 20) * (2 * random.NextDouble() - 1)).ToArray();

        var bins = ConformalBins.Fit(predicted, truth, cap: 125, coverage: 0.9);

        var low = bins.Interval(20);
        var high = bins.Interval(90);
        Assert.InRange(low.Upper - low.Lower, 3, 4.5);
        Assert.InRange(high.Upper - high.Lower, 30, 45);
    }

    [Fact]
    public void Near_the_cap_the_interval_covers_degrading_units_however_few_and_healthy_units_far_above()
    {
        // Predictions near the cap: most validation cuts are healthy (true RUL 125 to 300), one in ten is degrading (90 to 125).
        var random = new Random(2);
        var predicted = Enumerable.Range(0, 1000).Select(_ => 120 + random.NextDouble() * 5).ToArray();
        var truth = predicted.Select((p, i) => i % 10 == 0 ? 90 + random.NextDouble() * 35 : 125 + random.NextDouble() * 175).ToArray();

        var interval = ConformalBins.Fit(predicted, truth, cap: 125, coverage: 0.9).Interval(122);

        // A test set cut only while degrading is still covered at 90%, and a healthy one too.
        var degrading = Enumerable.Range(0, 1000).Select(_ => 90 + random.NextDouble() * 35).Count(t => t >= interval.Lower && t <= interval.Upper) / 1000.0;
        var healthy = Enumerable.Range(0, 1000).Select(_ => 125 + random.NextDouble() * 175).Count(t => t >= interval.Lower && t <= interval.Upper) / 1000.0;
        Assert.True(degrading >= 0.88, $"{degrading:P1} of degrading units in [{interval.Lower:F1}, {interval.Upper:F1}]");
        Assert.True(healthy >= 0.88, $"{healthy:P1} of healthy units in [{interval.Lower:F1}, {interval.Upper:F1}]");
        Assert.True(interval.Upper > 250);
    }
}
