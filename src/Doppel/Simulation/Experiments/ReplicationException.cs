namespace Doppel.Simulation.Experiments;

/// <summary>
/// A replication threw. Carries what is needed to rerun it alone: the scenario, the replication index and its seed.
/// When several fail, the experiment reports the first in (scenario, replication) order, whatever the parallelism.
/// </summary>
public sealed class ReplicationException : Exception
{
    /// <summary>Creates the exception for a failed replication.</summary>
    public ReplicationException(string scenario, int replication, ulong seed, Exception innerException)
        : base($"Replication {replication} of scenario '{scenario}' (seed {seed}) failed: {innerException?.Message}", innerException)
    {
        Scenario = scenario;
        Replication = replication;
        Seed = seed;
    }

    /// <summary>The scenario's name.</summary>
    public string Scenario { get; }

    /// <summary>The replication index.</summary>
    public int Replication { get; }

    /// <summary>The replication's stream-0 seed.</summary>
    public ulong Seed { get; }
}
