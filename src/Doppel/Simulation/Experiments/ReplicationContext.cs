namespace Doppel.Simulation.Experiments;

/// <summary>What one replication is given: its scenario, its index and its seeds.</summary>
public readonly struct ReplicationContext
{
    private readonly ulong _root;

    internal ReplicationContext(Scenario scenario, int scenarioIndex, int index, ulong root)
    {
        Scenario = scenario;
        ScenarioIndex = scenarioIndex;
        Index = index;
        _root = root;
    }

    /// <summary>The scenario this replication belongs to.</summary>
    public Scenario Scenario { get; }

    /// <summary>The scenario's position in the experiment.</summary>
    public int ScenarioIndex { get; }

    /// <summary>The replication number within the scenario, from 0.</summary>
    public int Index { get; }

    /// <summary>The seed of stream 0, for a model with a single random number generator.</summary>
    public ulong Seed => Stream(0);

    /// <summary>The scenario's parameters.</summary>
    public IReadOnlyDictionary<string, double> Parameters => Scenario.Parameters;

    /// <summary>The value of parameter <paramref name="name"/>.</summary>
    public double this[string name] => Scenario[name];

    /// <summary>
    /// The seed of an independent stream (arrivals, service times, failures, ...); giving each source of randomness
    /// its own stream keeps common random numbers synchronised when scenarios consume different amounts of one source.
    /// </summary>
    public ulong Stream(int stream)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stream);
        return SeedSequence.Derive(_root, (ulong)stream);
    }
}
