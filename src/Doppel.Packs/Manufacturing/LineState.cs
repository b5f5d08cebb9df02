namespace Doppel.Packs.Manufacturing;

/// <summary>
/// Where a line stands when a scenario starts: parts in each buffer, which stations are down, and, when known, each
/// station's reported state, which says which stations hold a part: a blocked one holds a finished part for the next
/// buffer; a working, down, cooling, setup or maintenance one holds the part it works on (its cycle starts afresh).
/// </summary>
public sealed record LineState(IReadOnlyList<int> BufferLevels, IReadOnlyList<bool> StationsDown)
{
    /// <summary>Each station's reported state (working, starved, blocked, down, ...); null when unknown (no parts held).</summary>
    public IReadOnlyList<string?>? StationStates { get; init; }

    /// <summary>Whether the station holds a part (see the type's summary).</summary>
    public bool HoldsPart(int station) =>
        StationStates is { } states && states[station] is "working" or "blocked" or "down" or "cooling" or "setup" or "maintenance";

    /// <summary>Parts in the line: in its buffers and held by its stations.</summary>
    public int WorkInProgress => BufferLevels.Sum() + StationsDown.Select((_, i) => HoldsPart(i) ? 1 : 0).Sum();
}
