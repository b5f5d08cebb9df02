using Doppel.Packs.Mobility.Simulation;
using Doppel.Packs.Mobility.Validation;

namespace Doppel.Tests.Mobility.Validation;

public sealed class TrafficComparisonTests
{
    private static TripInfo Trip(int i, double duration, double waiting, double loss) =>
        new($"v{i}", "DEFAULT_VEHTYPE", i, 0, i + duration, duration, 500, waiting, waiting > 0 ? 1 : 0, loss, "a_0", "b_0");

    private static readonly TripInfo[] Sumo = [.. Enumerable.Range(0, 400).Select(i => Trip(i, 100 + (i % 40), 20 + (i % 10), 40 + (i % 20)))];

    [Fact]
    public void Means_within_the_tolerance_and_equal_distributions_pass()
    {
        var doppel = Sumo.Select(t => t with { Duration = t.Duration * 1.02, WaitingTime = t.WaitingTime * 0.97, TimeLoss = t.TimeLoss * 1.04 }).ToArray();

        var comparison = TrafficComparison.Compare("s", doppel, 0, 1, Sumo, 0, 1);

        Assert.True(comparison.Passes, string.Join("; ", comparison.Failures));
        Assert.Equal(0.02, comparison.Duration.RelativeDifference, 6);
        Assert.Equal(-0.03, comparison.WaitingTime.RelativeDifference, 6);
        Assert.Equal(0.04, comparison.TimeLoss.RelativeDifference, 6);
    }

    [Fact]
    public void Each_criterion_fails_on_its_own()
    {
        var slower = Sumo.Select(t => t with { WaitingTime = t.WaitingTime * 1.06 }).ToArray();
        var shifted = Sumo.Select(t => t with { Duration = t.Duration + ((t.Duration > 120) ? 8 : -8) }).ToArray();

        Assert.Equal(["mean waitingTime 25.97 s vs SUMO's 24.50 s (+6.0%, allowed ±5%)"], TrafficComparison.Compare("s", slower, 0, 0, Sumo, 0, 0).Failures);
        Assert.Contains(TrafficComparison.Compare("s", shifted, 0, 0, Sumo, 0, 0).Failures, f => f.StartsWith("durations differ in distribution", StringComparison.Ordinal));
        Assert.Equal(["2 collisions"], TrafficComparison.Compare("s", Sumo, 2, 0, Sumo, 0, 0).Failures);
        Assert.Equal(["3 teleports, more than SUMO's 2"], TrafficComparison.Compare("s", Sumo, 0, 3, Sumo, 0, 2).Failures);
        Assert.Equal(["399 vehicles arrived, SUMO's 400"], TrafficComparison.Compare("s", Sumo[1..], 0, 0, Sumo, 0, 0).Failures.Where(f => f.Contains("arrived", StringComparison.Ordinal)));
    }
}
