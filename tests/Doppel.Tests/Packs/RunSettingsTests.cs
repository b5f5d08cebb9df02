using Doppel.Simulation.Experiments;

namespace Doppel.Tests.Packs;

/// <summary>One run-settings record and one validation, whatever form the run came in.</summary>
public sealed class RunSettingsTests
{
    private static readonly RunSettings Valid = new() { Duration = 1000, Warmup = 100 };

    [Fact]
    public void Defaults_give_ten_replications_from_seed_one_and_are_valid()
    {
        Assert.Equal((10, 1UL), (Valid.Replications, Valid.Seed));
        Assert.Empty(Valid.Validate());
    }

    [Theory]
    [InlineData(1000, 100, 1, "replications must be at least 2")]
    [InlineData(1000, 100, 0, "replications must be at least 2")]
    [InlineData(1000, 1000, 10, "warmup must be 0 or more and less than the duration (1000), got 1000.")]
    [InlineData(1000, -1, 10, "warmup must be 0 or more")]
    [InlineData(0, 0, 10, "duration must be a positive number, got 0.")]
    [InlineData(double.PositiveInfinity, 0, 10, "duration must be a positive number, got Infinity.")]
    [InlineData(double.NaN, 0, 10, "duration must be a positive number, got NaN.")]
    [InlineData(1000, double.NaN, 10, "warmup must be 0 or more")]
    public void Settings_that_cannot_give_an_interval_are_refused_with_the_setting_named(double duration, double warmup, int replications, string expected)
    {
        var errors = new RunSettings { Duration = duration, Warmup = warmup, Replications = replications }.Validate();

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_host_limits_replications_and_duration()
    {
        var limits = new RunLimits(200, 1e8);

        Assert.Contains("replications must be at most 200, got 201.", Valid.With(replications: 201).Validate(limits));
        Assert.Contains("duration must be at most 100000000, got 200000000.", Valid.With(duration: 2e8).Validate(limits));
        Assert.Empty(Valid.With(replications: 201, duration: 2e8).Validate());
    }

    [Fact]
    public void Overrides_replace_only_what_they_give()
    {
        Assert.Equal(Valid with { Replications = 3 }, Valid.With(replications: 3));
        Assert.Equal("3 replications of 1000 time units (warm-up 100), seed 9", Valid.With(replications: 3, seed: 9).ToString());
    }
}
