using Doppel.Packs.Mobility.Network;

namespace Doppel.Packs.Mobility.Planning;

/// <summary>
/// A change tried on the city before the streets change: roads closed, signal programs replaced, demand added (an
/// event drawing or releasing vehicles at a place), a district evacuated. Each applies from the fork's start.
/// </summary>
public sealed record TrafficWhatIf(string Name)
{
    /// <summary>Edges no vehicle may enter; vehicles whose route uses one are rerouted.</summary>
    public IReadOnlyList<string> Close { get; init; } = [];

    /// <summary>Programs that replace the running program of their signal.</summary>
    public IReadOnlyList<SignalProgram> Signals { get; init; } = [];

    /// <summary>Extra trips.</summary>
    public IReadOnlyList<AddedDemand> Demand { get; init; } = [];

    /// <summary>A district to clear, or null.</summary>
    public EvacuationOrder? Evacuate { get; init; }
}

/// <summary>
/// Extra trips: <see cref="Vehicles"/> departing evenly at random within [<see cref="Begin"/>, <see cref="End"/>] (s
/// from the start) from <see cref="From"/> to <see cref="To"/> (edge ids); an end left out is drawn for each trip among
/// the network's roads, in proportion to their length (so an event at a place is <c>to</c> alone, its end <c>from</c> alone).
/// </summary>
public sealed record AddedDemand(string? From, string? To, int Vehicles, double Begin, double End);
