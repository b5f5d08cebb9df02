using System.Globalization;
using System.Text;
using Doppel.History;

namespace Doppel.Storage;

public sealed partial class DuckDbHistoryStore
{
    public async Task<HistoryPage> ReadAsync(HistoryRead request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var size = Math.Clamp(request.PageSize, 1, 10_000);
        var sql = new StringBuilder("SELECT series, ts, kind, num, json, message_id, seq FROM history WHERE ");
        var parameters = new List<object>();
        if (!Where(sql, parameters, request.TwinIds, request.Names, request.From, request.To))
        {
            return new HistoryPage([], null);
        }
        if (request.After is { } after)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND (ts > ${parameters.Count + 1} OR (ts = ${parameters.Count + 1} AND seq > ${parameters.Count + 2}))");
            parameters.Add(after.Time.UtcDateTime);
            parameters.Add(after.Sequence);
        }
        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY ts, seq LIMIT {size + 1}");
        var points = new List<HistoryPoint>(Math.Min(size, 1024));
        HistoryCursor? next = null;
        await Task.Run(() =>
        {
            using var connection = Reader();
            using var command = Command(connection, sql.ToString(), parameters);
            using var reader = command.ExecuteReader();
            long lastSequence = 0;
            while (reader.Read())
            {
                ct.ThrowIfCancellationRequested();
                if (points.Count == size)
                {
                    next = new HistoryCursor(points[^1].Time, lastSequence);
                    break;
                }
                var (twin, name) = _series.Key(reader.GetInt32(0));
                points.Add(new HistoryPoint(
                    twin,
                    name,
                    Utc(reader.GetDateTime(1)),
                    (HistoryKind)reader.GetByte(2),
                    reader.IsDBNull(3) ? null : reader.GetDouble(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5)));
                lastSequence = reader.GetInt64(6);
            }
        }, ct);
        return new HistoryPage(points, next);
    }

    public async Task<IReadOnlyList<HistoryBucket>> AggregateAsync(HistoryAggregation request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bucketMicros = (long)(request.Bucket.Ticks / TimeSpan.TicksPerMicrosecond);
        if (bucketMicros < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Bucket, "A bucket must be at least 1µs.");
        }
        var aggregates = request.Aggregates.Count == 0 ? HistoryAggregates.All : request.Aggregates;
        var sql = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"SELECT series, epoch_us(ts) // {bucketMicros} AS bucket"));
        foreach (var aggregate in aggregates)
        {
            sql.Append(", ").Append(aggregate switch
            {
                HistoryAggregate.Avg => "avg(num)",
                HistoryAggregate.Min => "min(num)",
                HistoryAggregate.Max => "max(num)",
                HistoryAggregate.Sum => "sum(num)",
                HistoryAggregate.Count => "count(num)::DOUBLE",
                HistoryAggregate.First => "arg_min(num, (epoch_us(ts)::HUGEINT << 64) + seq)",
                HistoryAggregate.Last => "arg_max(num, (epoch_us(ts)::HUGEINT << 64) + seq)",
                _ => "stddev_samp(num)",
            });
        }
        sql.Append(" FROM history WHERE num IS NOT NULL AND ");
        var parameters = new List<object>();
        if (!Where(sql, parameters, request.TwinIds, request.Names, request.From, request.To))
        {
            return [];
        }
        sql.Append(" GROUP BY series, bucket");
        return await Task.Run(() =>
        {
            var buckets = new List<(long Bucket, HistoryBucket Value)>();
            using var connection = Reader();
            using var command = Command(connection, sql.ToString(), parameters);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ct.ThrowIfCancellationRequested();
                var values = new Dictionary<HistoryAggregate, double?>(aggregates.Count);
                for (var i = 0; i < aggregates.Count; i++)
                {
                    values[aggregates[i]] = reader.IsDBNull(2 + i) ? null : reader.GetDouble(2 + i);
                }
                var (twin, name) = _series.Key(reader.GetInt32(0));
                var bucket = reader.GetInt64(1);
                var start = DateTimeOffset.UnixEpoch.AddTicks(bucket * bucketMicros * TimeSpan.TicksPerMicrosecond);
                buckets.Add((bucket, new HistoryBucket(twin, name, start, values)));
            }
            buckets.Sort(static (a, b) =>
            {
                var byTwin = string.CompareOrdinal(a.Value.TwinId, b.Value.TwinId);
                var byName = byTwin != 0 ? byTwin : string.CompareOrdinal(a.Value.Name, b.Value.Name);
                return byName != 0 ? byName : a.Bucket.CompareTo(b.Bucket);
            });
            return (IReadOnlyList<HistoryBucket>)buckets.ConvertAll(b => b.Value);
        }, ct);
    }

    public Task<long> ExportParquetAsync(HistoryRead request, string path, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var select = new StringBuilder("""
            SELECT s.twin_id, s.name, h.ts, CASE h.kind WHEN 0 THEN 'telemetry' ELSE 'property' END AS kind, h.num, h.json
            FROM history h JOIN series s ON s.id = h.series WHERE
            """);
        select.Append(' ');
        var parameters = new List<object>();
        var any = Where(select, parameters, request.TwinIds, request.Names, request.From, request.To);
        select.Append(any ? " ORDER BY h.ts, h.seq" : " AND FALSE");
        return Task.Run(() =>
        {
            using var connection = Reader();
            // COPY takes no parameters, so the selection is materialized first and the path goes in as a quoted literal.
            using (var command = Command(connection, $"CREATE TEMP TABLE export AS {select}", parameters))
            {
                command.ExecuteNonQuery();
            }
            try
            {
                Execute(connection, $"COPY export TO '{full.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT PARQUET)");
                return Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM export"), CultureInfo.InvariantCulture);
            }
            finally
            {
                Execute(connection, "DROP TABLE export");
            }
        }, ct);
    }

    public Task<long> CountAsync(CancellationToken ct = default) =>
        Task.Run(() =>
        {
            using var connection = Reader();
            return Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM history"), CultureInfo.InvariantCulture);
        }, ct);

    public Task<IReadOnlyList<HistoryPoint>> LatestTelemetryAsync(CancellationToken ct = default) =>
        Task.Run(() =>
        {
            using var connection = Reader();
            using var command = Command(connection, $"""
                SELECT series, ts, num, json FROM history WHERE kind = {(int)HistoryKind.Telemetry}
                QUALIFY row_number() OVER (PARTITION BY series ORDER BY ts DESC, seq DESC) = 1
                """, []);
            using var reader = command.ExecuteReader();
            var points = new List<HistoryPoint>();
            while (reader.Read())
            {
                ct.ThrowIfCancellationRequested();
                var (twin, name) = _series.Key(reader.GetInt32(0));
                points.Add(new HistoryPoint(twin, name, Utc(reader.GetDateTime(1)), HistoryKind.Telemetry,
                    reader.IsDBNull(2) ? null : reader.GetDouble(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
            return (IReadOnlyList<HistoryPoint>)points;
        }, ct);

    public Task<IReadOnlyList<HistoryPoint>> LatestAtAsync(IReadOnlyList<string> twinIds, IReadOnlyList<string> names, DateTimeOffset at, CancellationToken ct = default) =>
        Task.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(twinIds);
            ArgumentNullException.ThrowIfNull(names);
            var sql = new StringBuilder("SELECT series, ts, kind, num, json, message_id FROM history WHERE ");
            var parameters = new List<object>();
            // The range's end is exclusive: one microsecond (what DuckDB keeps) past 'at' includes it.
            if (!Where(sql, parameters, twinIds, names, DateTimeOffset.UnixEpoch, at.AddTicks(TimeSpan.TicksPerMicrosecond)))
            {
                return (IReadOnlyList<HistoryPoint>)[];
            }
            sql.Append(" QUALIFY row_number() OVER (PARTITION BY series ORDER BY ts DESC, seq DESC) = 1 ORDER BY series");
            using var connection = Reader();
            using var command = Command(connection, sql.ToString(), parameters);
            using var reader = command.ExecuteReader();
            var points = new List<HistoryPoint>();
            while (reader.Read())
            {
                ct.ThrowIfCancellationRequested();
                var (twin, name) = _series.Key(reader.GetInt32(0));
                points.Add(new HistoryPoint(twin, name, Utc(reader.GetDateTime(1)), (HistoryKind)reader.GetByte(2),
                    reader.IsDBNull(3) ? null : reader.GetDouble(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
            }
            return (IReadOnlyList<HistoryPoint>)points;
        }, ct);

    /// <summary>Appends the time range and the series the twins and names select; false when they select no series at all.</summary>
    private bool Where(StringBuilder sql, List<object> parameters, IReadOnlyList<string> twinIds, IReadOnlyList<string> names, DateTimeOffset from, DateTimeOffset to)
    {
        sql.Append(CultureInfo.InvariantCulture, $"ts >= ${parameters.Count + 1} AND ts < ${parameters.Count + 2}");
        parameters.Add(from.UtcDateTime);
        parameters.Add(to.UtcDateTime);
        if (_series.Select(twinIds, names) is not { } ids)
        {
            return true;
        }
        if (ids.Count == 0)
        {
            return false;
        }
        // Series ids are integers the store made, so they go into the text; DuckDB prunes row groups on them.
        sql.Append(" AND series IN (").AppendJoin(',', ids).Append(')');
        return true;
    }

    private static DateTimeOffset Utc(DateTime stored) => new(DateTime.SpecifyKind(stored, DateTimeKind.Utc));
}
