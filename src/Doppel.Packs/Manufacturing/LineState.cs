namespace Doppel.Packs.Manufacturing;

/// <summary>Where a line stands when a scenario starts: parts in each buffer, and which stations are down.</summary>
public sealed record LineState(IReadOnlyList<int> BufferLevels, IReadOnlyList<bool> StationsDown);
