namespace Doppel.Packs.Mobility.Planning;

/// <summary>
/// An order to clear a district: the vehicles parked or driving in it (<see cref="Vehicles"/>, on the roads that start
/// at its junctions, in proportion to their lane length) leave over <see cref="Window"/> seconds from
/// <see cref="Begin"/>, each by the fastest way to the nearest safe destination, around the closed roads.
/// </summary>
/// <param name="District">The district's junction ids.</param>
/// <param name="Destinations">The safe destinations: edge ids outside the district.</param>
public sealed record EvacuationOrder(IReadOnlyCollection<string> District, IReadOnlyCollection<string> Destinations)
{
    public int Vehicles { get; init; } = 200;

    /// <summary>When the order is given (s).</summary>
    public double Begin { get; init; }

    /// <summary>Departures are spread evenly at random over this many seconds after <see cref="Begin"/>.</summary>
    public double Window { get; init; } = 600;

    /// <summary>Roads closed to everyone (edge ids).</summary>
    public IReadOnlyCollection<string> Closed { get; init; } = [];

    /// <summary>The prefix of the evacuees' vehicle ids.</summary>
    public string IdPrefix { get; init; } = "evac";
}
