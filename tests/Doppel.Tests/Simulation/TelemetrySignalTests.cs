using Doppel.Simulation;

namespace Doppel.Tests.Simulation;

/// <summary>The simulated sensor signal: repeatable from its seed, and shaped like the sensor it names.</summary>
public sealed class TelemetrySignalTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    private static double[] Run(string twin, string name, int seed, int samples)
    {
        var signalSeed = TelemetrySignal.Seed(seed, twin, name);
        var signal = new TelemetrySignal(SignalShape.For(name, signalSeed), signalSeed);
        return [.. Enumerable.Range(0, samples).Select(_ => signal.Next(Step))];
    }

    [Fact]
    public void The_same_seed_twin_and_name_give_the_same_values()
    {
        Assert.Equal(Run("machine-1", "temperature", 42, 1_000), Run("machine-1", "temperature", 42, 1_000));
    }

    [Fact]
    public void Another_seed_or_twin_gives_other_values()
    {
        var values = Run("machine-1", "temperature", 42, 100);
        Assert.NotEqual(values, Run("machine-1", "temperature", 43, 100));
        Assert.NotEqual(values, Run("machine-2", "temperature", 42, 100));
    }

    [Fact]
    public void Signal_seeds_do_not_depend_on_the_process()
    {
        // FNV-1a of fixed input: string.GetHashCode would differ from run to run.
        Assert.Equal(TelemetrySignal.Seed(1, "a", "b"), TelemetrySignal.Seed(1, "a", "b"));
        Assert.Equal(unchecked((int)0x3A8E75C1u), TelemetrySignal.Seed(0, "a", "b"));
    }

    [Fact]
    public void A_temperature_wanders_around_its_baseline_and_reverts_to_it()
    {
        // A day of one-second samples: the mean is near 21 °C (the daily sine averages out) and no value runs away.
        var values = Run("room-1", "temperature", 7, 86_400);
        Assert.InRange(values.Average(), 20.5, 21.5);
        Assert.All(values, v => Assert.InRange(v, 10, 32));
        // It moves: successive samples are not all equal, and the daily swing shows between morning and evening.
        Assert.True(values.Distinct().Count() > 80_000);
        var sixAm = values.Skip(5 * 3600).Take(3600).Average();
        var sixPm = values.Skip(17 * 3600).Take(3600).Average();
        Assert.True(sixAm - sixPm > 3, $"6 am {sixAm:0.00}, 6 pm {sixPm:0.00}");
    }

    [Fact]
    public void Spikes_are_occasional()
    {
        var shape = SignalShape.For("temperature", 1);
        var values = Run("room-1", "temperature", 3, 100_000);
        var spikes = values.Zip(values.Skip(1), (a, b) => Math.Abs(b - a)).Count(d => d > shape.SpikeSize * shape.Volatility / 2);
        // About 2 in 1,000 samples carry a spike, and each makes two jumps (up, and back).
        Assert.InRange(spikes, 200, 600);
    }
}
