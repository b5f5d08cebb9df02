namespace Doppel.History;

/// <summary>Durable time series of twin telemetry and property changes.</summary>
public interface IHistoryStore : IAsyncDisposable
{
    /// <summary>Stores points; the task completes once they are durable. A point whose (twin, name, message id) was stored before is skipped.</summary>
    /// <returns>How many points were stored (duplicates excluded).</returns>
    Task<int> AppendAsync(IReadOnlyList<HistoryPoint> points, CancellationToken ct = default);

    /// <summary>
    /// Stores points; with <see cref="DuplicateCheck.RecordOnly"/> their message ids are remembered but a known one does not
    /// skip the point (ids derived from content, which a genuinely new message may repeat, are only checked on redelivery).
    /// </summary>
    Task<int> AppendAsync(IReadOnlyList<HistoryPoint> points, DuplicateCheck check, CancellationToken ct = default);

    /// <summary>The newest telemetry point of every (twin, name): the live values to restore at start.</summary>
    Task<IReadOnlyList<HistoryPoint>> LatestTelemetryAsync(CancellationToken ct = default);

    /// <summary>
    /// The newest point at or before <paramref name="at"/> of every series the twins and names select (names empty
    /// means all): where those twins stood then, in one query rather than a read of everything before.
    /// </summary>
    Task<IReadOnlyList<HistoryPoint>> LatestAtAsync(IReadOnlyList<string> twinIds, IReadOnlyList<string> names, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Raw points of some twins in a time range, oldest first, one page at a time.</summary>
    Task<HistoryPage> ReadAsync(HistoryRead request, CancellationToken ct = default);

    /// <summary>Aggregates per twin, name and time bucket.</summary>
    Task<IReadOnlyList<HistoryBucket>> AggregateAsync(HistoryAggregation request, CancellationToken ct = default);

    /// <summary>Deletes points older than <paramref name="cutoff"/>; returns how many.</summary>
    Task<long> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken ct = default);

    /// <summary>Replaces the points of each (twin, name, bucket) older than <paramref name="cutoff"/> by one point holding their average; returns how many points were removed.</summary>
    Task<long> DownsampleBeforeAsync(DateTimeOffset cutoff, TimeSpan bucket, CancellationToken ct = default);

    /// <summary>Writes the points a read selects (all pages) to a Parquet file; returns how many.</summary>
    Task<long> ExportParquetAsync(HistoryRead request, string path, CancellationToken ct = default);

    /// <summary>Reorganises stored points so that reading one twin's series touches only its own data; returns how many points were rewritten.</summary>
    Task<long> CompactAsync(CancellationToken ct = default);

    /// <summary>How many points the store holds.</summary>
    Task<long> CountAsync(CancellationToken ct = default);
}

/// <summary>How an append treats a message id it has seen before.</summary>
public enum DuplicateCheck
{
    /// <summary>Skip the point: it is a retry.</summary>
    Skip,

    /// <summary>Store the point anyway, and remember the id.</summary>
    RecordOnly,
}

/// <summary>Which points to read: twins (empty means all), optional names, a half-open time range [From, To).</summary>
public sealed record HistoryRead(IReadOnlyList<string> TwinIds, IReadOnlyList<string> Names, DateTimeOffset From, DateTimeOffset To, int PageSize = 1000, HistoryCursor? After = null);

/// <summary>Where a page ended: points sort by time then by the order they were stored.</summary>
public sealed record HistoryCursor(DateTimeOffset Time, long Sequence);

public sealed record HistoryPage(IReadOnlyList<HistoryPoint> Points, HistoryCursor? Next);

/// <summary>Aggregates over buckets of <see cref="Bucket"/> aligned on the Unix epoch, for the numeric points of the twins and names given.</summary>
public sealed record HistoryAggregation(IReadOnlyList<string> TwinIds, IReadOnlyList<string> Names, DateTimeOffset From, DateTimeOffset To, TimeSpan Bucket, IReadOnlyList<HistoryAggregate> Aggregates);

/// <summary>One bucket's aggregates; an aggregate is null when it has no value (stddev of one point).</summary>
public sealed record HistoryBucket(string TwinId, string Name, DateTimeOffset Start, IReadOnlyDictionary<HistoryAggregate, double?> Values);
