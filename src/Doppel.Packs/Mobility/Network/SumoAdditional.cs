namespace Doppel.Packs.Mobility.Network;

/// <summary>What an additional file (<c>.add.xml</c>) adds to a network: induction loops and traffic-light programs (which replace the network's programs of the same signal).</summary>
public sealed record SumoAdditional(IReadOnlyList<InductionLoop> Detectors, IReadOnlyList<SignalProgram> SignalPrograms)
{
    /// <summary>
    /// The network with these programs in force: a program replaces the one with the same signal and program id, and a
    /// new program id for a known signal replaces the network's program too (SUMO switches to the last loaded program).
    /// </summary>
    public RoadNetwork ApplyTo(RoadNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (SignalPrograms.Count == 0)
        {
            return network;
        }
        var replaced = SignalPrograms.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var programs = network.SignalPrograms.Where(p => !replaced.Contains(p.Id)).Concat(SignalPrograms).ToList();
        return new RoadNetwork(network.Edges, network.Junctions, network.Connections, programs) { NetOffset = network.NetOffset };
    }
}
