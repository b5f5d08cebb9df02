using Doppel.Packs.Mobility.Simulation;
using Doppel.Packs.Mobility.Sumo;

namespace Doppel.Packs.Mobility.Validation;

/// <summary>
/// One simulator's trips over one or more seeds, pooled: every run's trips together, its collisions and teleports
/// summed, its simulation times summed. Pooling several seeds separates a simulator's bias from the chance of one run.
/// </summary>
public sealed record TrafficSample(IReadOnlyList<TripInfo> Trips, int Collisions, int Teleports, TimeSpan Time, IReadOnlyList<ulong> Seeds)
{
    /// <summary>Doppel's run at <paramref name="seed"/>.</summary>
    public static TrafficSample From(TrafficResult result, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new TrafficSample(result.Trips, result.Collisions, result.Teleports, result.Elapsed, [seed]);
    }

    /// <summary>SUMO's run at <paramref name="seed"/> (its loop time).</summary>
    public static TrafficSample From(SumoRun run, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new TrafficSample(run.Trips, run.Statistics.Collisions, run.Statistics.Teleports, run.SimulationTime, [seed]);
    }

    /// <summary>The runs together, in the order given.</summary>
    public static TrafficSample Pool(IReadOnlyList<TrafficSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 1)
        {
            return samples[0];
        }
        return new TrafficSample([.. samples.SelectMany(s => s.Trips)], samples.Sum(s => s.Collisions), samples.Sum(s => s.Teleports),
            samples.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Time), [.. samples.SelectMany(s => s.Seeds)]);
    }

    /// <summary>Seeds as a table shows them: "42", "42..44" for consecutive ones, else comma-separated.</summary>
    public static string Describe(IReadOnlyList<ulong> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0)
        {
            return "-";
        }
        var consecutive = seeds.Count > 1 && Enumerable.Range(1, seeds.Count - 1).All(k => seeds[k] == seeds[k - 1] + 1);
        return consecutive ? $"{seeds[0]}..{seeds[^1]}" : string.Join(",", seeds);
    }
}
