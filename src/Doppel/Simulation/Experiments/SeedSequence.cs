namespace Doppel.Simulation.Experiments;

/// <summary>
/// Derives independent 64-bit seeds from an experiment seed and indices (scenario, replication, stream) by
/// SplitMix64 mixing, so every random stream of every replication is reproducible on its own, whatever ran before it.
/// </summary>
public static class SeedSequence
{
    private const ulong Golden = 0x9E3779B97F4A7C15;

    /// <summary>The SplitMix64 finalizer: a bijection on 64-bit values that scatters nearby inputs far apart.</summary>
    public static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EB;
        return value ^ (value >> 31);
    }

    /// <summary>The seed of child <paramref name="index"/> of <paramref name="parent"/>.</summary>
    public static ulong Derive(ulong parent, ulong index) => Mix(Mix(parent + Golden) ^ Mix((index + 1) * Golden));

    /// <summary>
    /// The seed of stream <paramref name="stream"/> of replication <paramref name="replication"/> of a scenario. With
    /// common random numbers every scenario's replication r gets the same seeds, so comparisons between scenarios are
    /// paired; without, the scenario index is mixed in and scenarios draw independent numbers.
    /// </summary>
    public static ulong For(ulong experimentSeed, int scenario, int replication, int stream = 0, bool commonRandomNumbers = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stream);
        return Derive(ReplicationRoot(experimentSeed, scenario, replication, commonRandomNumbers), (ulong)stream);
    }

    /// <summary>The root from which a replication's streams are derived.</summary>
    internal static ulong ReplicationRoot(ulong experimentSeed, int scenario, int replication, bool commonRandomNumbers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(scenario);
        ArgumentOutOfRangeException.ThrowIfNegative(replication);
        // Child 0 of the experiment seed is shared by all scenarios (CRN); child s + 1 belongs to scenario s alone.
        var scenarioSeed = Derive(experimentSeed, commonRandomNumbers ? 0 : (ulong)scenario + 1);
        return Derive(scenarioSeed, (ulong)replication);
    }
}
