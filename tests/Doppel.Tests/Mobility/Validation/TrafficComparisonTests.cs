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

    [Fact]
    public void Pooled_seeds_compare_all_their_trips_and_sum_their_counts()
    {
        // Two Doppel runs, one a little slow and one a little fast: each alone is 6% off, pooled they agree.
        var slow = new TrafficSample([.. Sumo.Select(t => t with { Duration = t.Duration * 1.06 })], 1, 2, TimeSpan.FromSeconds(3), [42]);
        var fast = new TrafficSample([.. Sumo.Select(t => t with { Duration = t.Duration * 0.94 })], 0, 1, TimeSpan.FromSeconds(4), [43]);
        var sumo = TrafficSample.Pool([new TrafficSample(Sumo, 0, 2, TimeSpan.FromSeconds(10), [42]), new TrafficSample(Sumo, 0, 3, TimeSpan.FromSeconds(11), [43])]);

        var alone = TrafficComparison.Compare("s", slow, new TrafficSample(Sumo, 0, 2, TimeSpan.FromSeconds(10), [42]));
        var pooled = TrafficComparison.Compare("s", TrafficSample.Pool([slow, fast]), sumo);

        Assert.False(alone.Duration.Passes(0.05));
        Assert.Equal(0, pooled.Duration.RelativeDifference, 9);
        Assert.Equal((800, 800), (pooled.DoppelArrived, pooled.SumoArrived));
        Assert.Equal(800, pooled.Durations.SizeA);
        Assert.Equal((1, 3, 5), (pooled.DoppelCollisions, pooled.DoppelTeleports, pooled.SumoTeleports));
        Assert.Equal((TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(21)), (pooled.DoppelTime, pooled.SumoTime));
        Assert.Equal([42UL, 43UL], pooled.DoppelSeeds);
        Assert.Equal([42UL, 43UL], pooled.SumoSeeds);
        Assert.Equal(["1 collisions"], pooled.Failures.Where(f => !f.StartsWith("durations", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(new ulong[] { 42 }, "42")]
    [InlineData(new ulong[] { 42, 43, 44 }, "42..44")]
    [InlineData(new ulong[] { 42, 44 }, "42,44")]
    [InlineData(new ulong[0], "-")]
    public void Seeds_are_shown_as_a_range_when_consecutive(ulong[] seeds, string text) => Assert.Equal(text, TrafficSample.Describe(seeds));
}
