namespace Doppel.Simulation.Experiments;

/// <summary>A named set of parameter values that an experiment runs replications of.</summary>
/// <param name="Name">Unique within an experiment; results and comparisons refer to it.</param>
/// <param name="Parameters">The decision variables and settings the replication reads.</param>
public sealed record Scenario(string Name, IReadOnlyDictionary<string, double> Parameters)
{
    /// <summary>A scenario without parameters (a model that needs none, or a baseline read from elsewhere).</summary>
    public Scenario(string name)
        : this(name, new Dictionary<string, double>())
    {
    }

    /// <summary>The value of parameter <paramref name="name"/>.</summary>
    public double this[string name] => Parameters.TryGetValue(name, out var value)
        ? value
        : throw new KeyNotFoundException($"Scenario '{Name}' has no parameter '{name}'.");
}
