namespace Doppel.Simulation.Experiments;

/// <summary>
/// One run of a model: given the scenario and seeds in <paramref name="context"/>, returns its KPIs by name. It must
/// depend only on its context (no shared mutable state), which is what makes experiments reproducible on any number of cores.
/// </summary>
public delegate IReadOnlyDictionary<string, double> Replication(ReplicationContext context, CancellationToken cancellationToken);
