namespace Doppel.Simulation.Continuous.Internal;

/// <summary>Mutable work counters behind <see cref="OdeStatistics"/>.</summary>
internal sealed class SolverCounters
{
    public long Accepted;
    public long Rejected;
    public long Functions;
    public long Jacobians;
    public long Decompositions;

    public OdeStatistics Snapshot() => new(Accepted, Rejected, Functions, Jacobians, Decompositions);
}
