namespace Doppel.Storage;

/// <summary>Options of <see cref="DuckDbHistoryStore"/>.</summary>
public sealed record HistoryStoreOptions
{
    /// <summary>
    /// Recent points the writer lets accumulate before moving them into the archive sorted by series and time. Larger
    /// runs make one-twin queries cheaper and each move longer (about 0.1 s per million points on one core).
    /// </summary>
    public long CompactionRows { get; init; } = 1_000_000;
}
