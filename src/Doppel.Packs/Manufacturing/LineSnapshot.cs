namespace Doppel.Packs.Manufacturing;

/// <summary>
/// A running line at one instant, as its machines would report it: parts in each buffer, each station's state
/// (starved, working, down, blocked, setup, maintenance, cooling or offShift), cycles each station has finished (a rework
/// counts again) and the length of its latest, parts shipped by the last station, and crews busy. Counts include the
/// warm-up.
/// </summary>
public sealed record LineSnapshot(
    double Time,
    IReadOnlyList<int> BufferLevels,
    IReadOnlyList<string> StationStates,
    IReadOnlyList<long> CyclesFinished,
    IReadOnlyList<double> LastCycleTimes,
    long Shipped,
    int CrewsBusy)
{
    /// <summary>Each station's temperature, for stations with a thermal limit (null for the others).</summary>
    public IReadOnlyList<double?> Temperatures { get; init; } = [];
}
