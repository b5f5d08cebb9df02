namespace Doppel.Simulation;

/// <summary>How a simulated sensor behaves: where it settles, how it wanders, its daily swing and its spikes.</summary>
/// <param name="Baseline">The level the signal reverts to.</param>
/// <param name="Volatility">The stationary standard deviation of the random walk around the baseline.</param>
/// <param name="ReversionSeconds">The time constant of mean reversion (how long a deviation takes to decay by 1/e).</param>
/// <param name="DailyAmplitude">The amplitude of a slow sine with <paramref name="DailyPeriod"/>.</param>
/// <param name="DailyPeriod">The period of that sine (a day for a real sensor; shorter to see it in a short run).</param>
/// <param name="SpikeProbability">The chance that one sample carries a spike.</param>
/// <param name="SpikeSize">A spike's size, in multiples of <paramref name="Volatility"/>.</param>
public sealed record SignalShape(
    double Baseline,
    double Volatility,
    double ReversionSeconds,
    double DailyAmplitude,
    TimeSpan DailyPeriod,
    double SpikeProbability,
    double SpikeSize)
{
    /// <summary>A plausible shape for a telemetry name (temperature, humidity, pressure, ...), else a generic one placed by <paramref name="seed"/>.</summary>
    public static SignalShape For(string name, int seed)
    {
        ArgumentNullException.ThrowIfNull(name);
        var day = TimeSpan.FromHours(24);
        var lower = name.ToLowerInvariant();
        if (lower.Contains("temp", StringComparison.Ordinal))
        {
            return new SignalShape(21, 0.4, 120, 2.5, day, 0.002, 8);
        }
        if (lower.Contains("humid", StringComparison.Ordinal))
        {
            return new SignalShape(45, 2, 300, 8, day, 0.001, 6);
        }
        if (lower.Contains("press", StringComparison.Ordinal))
        {
            return new SignalShape(101.3, 0.15, 600, 0.4, day, 0.001, 10);
        }
        if (lower.Contains("vib", StringComparison.Ordinal))
        {
            return new SignalShape(0.8, 0.08, 10, 0.05, day, 0.01, 12);
        }
        if (lower.Contains("co2", StringComparison.Ordinal))
        {
            return new SignalShape(600, 40, 300, 150, day, 0.002, 5);
        }
        // Anything else: a baseline between 10 and 1,000 chosen by the seed, volatility 2 % of it.
        var baseline = Math.Round(10 * Math.Pow(100, new Random(seed).NextDouble()), 1);
        return new SignalShape(baseline, baseline * 0.02, 60, baseline * 0.05, day, 0.002, 8);
    }
}
