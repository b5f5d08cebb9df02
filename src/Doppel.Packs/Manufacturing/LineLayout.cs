namespace Doppel.Packs.Manufacturing;

/// <summary>The twins of a line: its stations and buffers in line order, and the crews that serve it.</summary>
public sealed record LineLayout(IReadOnlyList<string> StationIds, IReadOnlyList<string> BufferIds, IReadOnlyList<string> CrewIds);
