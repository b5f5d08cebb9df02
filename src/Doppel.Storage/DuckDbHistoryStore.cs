using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Doppel.History;
using Doppel.Ingest;
using DuckDB.NET.Data;

namespace Doppel.Storage;

/// <summary>
/// History in an embedded DuckDB file (<c>history.duckdb</c> in the data folder): one columnar table of points,
/// appended by a single writer thread that group-commits whatever is queued (DuckDB's WAL makes a commit durable).
/// </summary>
/// <remarks>
/// Times are stored in microseconds (DuckDB's TIMESTAMP); finer fractions are truncated. Each point gets a sequence
/// number in arrival order, so points with equal times have a stable order for paging and for first/last.
/// </remarks>
public sealed class DuckDbHistoryStore : IHistoryStore, IDeadLetterStore
{
    public const string FileName = "history.duckdb";

    // Message ids remembered for de-duplication; older ones fall out first.
    private const int RememberedMessageIds = 1_000_000;

    private readonly DuckDBConnection _connection;
    // Readers open their own connections; DuckDB.NET shares one database instance per file within the process.
    private readonly string _connectionString;
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<(string TwinId, string Name, string MessageId)> _seen = [];
    private readonly Queue<(string TwinId, string Name, string MessageId)> _seenOrder = new();
    private long _sequence;
    private long _deadLetterSequence;
    private volatile bool _disposed;

    private DuckDbHistoryStore(DuckDBConnection connection, long sequence)
    {
        _connection = connection;
        _connectionString = connection.ConnectionString;
        _sequence = sequence;
    }

    public string DatabasePath { get; private init; } = "";

    /// <summary>Appends waiting for the writer: the back-pressure gauge.</summary>
    public int PendingAppends => _queue.Reader.Count;

    /// <summary>Opens (creating when missing) the history file of a data folder; replays DuckDB's WAL after a crash.</summary>
    public static DuckDbHistoryStore Open(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        var connection = new DuckDBConnection($"Data Source={path}");
        try
        {
            connection.Open();
            Execute(connection, """
                CREATE TABLE IF NOT EXISTS points (
                    twin_id VARCHAR NOT NULL,
                    name VARCHAR NOT NULL,
                    ts TIMESTAMP NOT NULL,
                    kind UTINYINT NOT NULL,
                    num DOUBLE,
                    json VARCHAR,
                    message_id VARCHAR,
                    seq BIGINT NOT NULL)
                """);
            Execute(connection, """
                CREATE TABLE IF NOT EXISTS dead_letters (
                    seq BIGINT NOT NULL,
                    ts TIMESTAMP NOT NULL,
                    source VARCHAR NOT NULL,
                    topic VARCHAR NOT NULL,
                    client_id VARCHAR,
                    twin_id VARCHAR,
                    reason VARCHAR NOT NULL,
                    message VARCHAR NOT NULL,
                    payload VARCHAR NOT NULL)
                """);
            var sequence = Convert.ToInt64(Scalar(connection, "SELECT coalesce(max(seq), 0) FROM points"), CultureInfo.InvariantCulture);
            var deadLetterSequence = Convert.ToInt64(Scalar(connection, "SELECT coalesce(max(seq), 0) FROM dead_letters"), CultureInfo.InvariantCulture);
            var store = new DuckDbHistoryStore(connection, sequence) { DatabasePath = path, _deadLetterSequence = deadLetterSequence };
            store.LoadMessageIds();
            new Thread(store.WriteLoop) { IsBackground = true, Name = "Doppel.History writer" }.Start();
            return store;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public Task<int> AppendAsync(IReadOnlyList<HistoryPoint> points, CancellationToken ct = default) => AppendAsync(points, DuplicateCheck.Skip, ct);

    public Task<int> AppendAsync(IReadOnlyList<HistoryPoint> points, DuplicateCheck check, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return Task.FromResult(0);
        }
        return Enqueue(new PendingAppend(points, check, []), ct);
    }

    public Task AppendDeadLettersAsync(IReadOnlyList<DeadLetter> letters, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(letters);
        return letters.Count == 0 ? Task.CompletedTask : Enqueue(new PendingAppend([], DuplicateCheck.Skip, letters), ct);
    }

    private Task<int> Enqueue(PendingAppend pending, CancellationToken ct)
    {
        if (!_queue.Writer.TryWrite(pending))
        {
            return Task.FromException<int>(new ObjectDisposedException(nameof(DuckDbHistoryStore)));
        }
        // A caller that stops waiting does not undo the append: it commits with its group.
        return pending.Completion.Task.WaitAsync(ct);
    }

    public async Task<HistoryPage> ReadAsync(HistoryRead request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var size = Math.Clamp(request.PageSize, 1, 10_000);
        var sql = new StringBuilder("SELECT twin_id, name, ts, kind, num, json, message_id, seq FROM points WHERE ");
        var parameters = new List<object>();
        Filter(sql, parameters, request.TwinIds, request.Names, request.From, request.To);
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
                points.Add(new HistoryPoint(
                    reader.GetString(0),
                    reader.GetString(1),
                    new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc)),
                    (HistoryKind)reader.GetByte(3),
                    reader.IsDBNull(4) ? null : reader.GetDouble(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6)));
                lastSequence = reader.GetInt64(7);
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
        var sql = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"SELECT twin_id, name, epoch_us(ts) // {bucketMicros} AS bucket"));
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
        sql.Append(" FROM points WHERE num IS NOT NULL AND ");
        var parameters = new List<object>();
        Filter(sql, parameters, request.TwinIds, request.Names, request.From, request.To);
        sql.Append(" GROUP BY twin_id, name, bucket ORDER BY twin_id, name, bucket");
        return await Task.Run(() =>
        {
            var buckets = new List<HistoryBucket>();
            using var connection = Reader();
            using var command = Command(connection, sql.ToString(), parameters);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ct.ThrowIfCancellationRequested();
                var values = new Dictionary<HistoryAggregate, double?>(aggregates.Count);
                for (var i = 0; i < aggregates.Count; i++)
                {
                    values[aggregates[i]] = reader.IsDBNull(3 + i) ? null : reader.GetDouble(3 + i);
                }
                var start = DateTimeOffset.UnixEpoch.AddTicks(reader.GetInt64(2) * bucketMicros * TimeSpan.TicksPerMicrosecond);
                buckets.Add(new HistoryBucket(reader.GetString(0), reader.GetString(1), start, values));
            }
            return (IReadOnlyList<HistoryBucket>)buckets;
        }, ct);
    }

    public Task<long> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken ct = default) =>
        Task.Run(() =>
        {
            using var connection = Reader();
            using var command = Command(connection, "DELETE FROM points WHERE ts < $1", [cutoff.UtcDateTime]);
            return (long)command.ExecuteNonQuery();
        }, ct);

    public Task<long> DownsampleBeforeAsync(DateTimeOffset cutoff, TimeSpan bucket, CancellationToken ct = default)
    {
        var bucketMicros = (long)(bucket.Ticks / TimeSpan.TicksPerMicrosecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketMicros, 1, nameof(bucket));
        return Task.Run(() =>
        {
            using var connection = Reader();
            using var transaction = connection.BeginTransaction();
            // Whole buckets only: a bucket that straddles the cutoff keeps its raw points until it is entirely older.
            var end = cutoff.ToUnixTimeMilliseconds() * 1000 / bucketMicros * bucketMicros;
            var where = string.Create(CultureInfo.InvariantCulture, $"num IS NOT NULL AND epoch_us(ts) < {end}");
            long before;
            using (var count = Command(connection, $"SELECT count(*) FROM points WHERE {where}", []))
            {
                before = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"""
                CREATE TEMP TABLE downsampled AS
                SELECT twin_id, name, make_timestamp(epoch_us(ts) // {bucketMicros} * {bucketMicros}) AS ts, min(kind) AS kind, avg(num) AS num,
                       max(seq) AS seq
                FROM points WHERE {where} GROUP BY twin_id, name, epoch_us(ts) // {bucketMicros}
                """));
            Execute(connection, $"DELETE FROM points WHERE {where}");
            Execute(connection, "INSERT INTO points SELECT twin_id, name, ts, kind, num, NULL, NULL, seq FROM downsampled");
            long after;
            using (var count = Command(connection, "SELECT count(*) FROM downsampled", []))
            {
                after = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            Execute(connection, "DROP TABLE downsampled");
            transaction.Commit();
            return before - after;
        }, ct);
    }

    public Task<long> ExportParquetAsync(HistoryRead request, string path, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var select = new StringBuilder("SELECT twin_id, name, ts, CASE kind WHEN 0 THEN 'telemetry' ELSE 'property' END AS kind, num, json FROM points WHERE ");
        var parameters = new List<object>();
        Filter(select, parameters, request.TwinIds, request.Names, request.From, request.To);
        select.Append(" ORDER BY ts, seq");
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
            return Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM points"), CultureInfo.InvariantCulture);
        }, ct);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writerStopped.Task;
        _disposed = true;
    }

    private DuckDBConnection Reader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new DuckDBConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private void WriteLoop()
    {
        var reader = _queue.Reader;
        var group = new List<PendingAppend>();
        try
        {
            while (WaitToRead(reader))
            {
                group.Clear();
                var count = 0;
                // Everything queued goes into one transaction, up to a bound that keeps one commit short.
                while (count < 1_000_000 && reader.TryRead(out var pending))
                {
                    group.Add(pending);
                    count += pending.Points.Count;
                }
                CommitGroup(group);
            }
        }
        finally
        {
            _connection.Dispose();
            _writerStopped.TrySetResult();
        }
    }

    private static bool WaitToRead(ChannelReader<PendingAppend> reader)
    {
        var wait = reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private void CommitGroup(List<PendingAppend> group)
    {
        var stored = new int[group.Count];
        var added = new List<(string, string, string)>();
        var sequence = _sequence;
        var deadLetterSequence = _deadLetterSequence;
        try
        {
            using var transaction = _connection.BeginTransaction();
            using (var appender = _connection.CreateAppender("points"))
            {
                for (var g = 0; g < group.Count; g++)
                {
                    foreach (var point in group[g].Points)
                    {
                        // A message gives one point per telemetry name, so a repeat is the same (twin, name, message id).
                        if (point.MessageId is { } messageId)
                        {
                            if (_seen.Add((point.TwinId, point.Name, messageId)))
                            {
                                added.Add((point.TwinId, point.Name, messageId));
                            }
                            else if (group[g].Check == DuplicateCheck.Skip)
                            {
                                continue;
                            }
                        }
                        var row = appender.CreateRow()
                            .AppendValue(point.TwinId)
                            .AppendValue(point.Name)
                            .AppendValue(point.Time.UtcDateTime)
                            .AppendValue((byte)point.Kind);
                        row = point.Number is { } number ? row.AppendValue(number) : row.AppendNullValue();
                        row = point.Json is { } json ? row.AppendValue(json) : row.AppendNullValue();
                        row = point.MessageId is { } id ? row.AppendValue(id) : row.AppendNullValue();
                        row.AppendValue(++sequence).EndRow();
                        stored[g]++;
                    }
                }
            }
            deadLetterSequence = AppendDeadLetters(group, deadLetterSequence);
            transaction.Commit();
        }
        catch (Exception e)
        {
            foreach (var key in added)
            {
                _seen.Remove(key);
            }
            foreach (var pending in group)
            {
                pending.Completion.TrySetException(e);
            }
            return;
        }
        _sequence = sequence;
        _deadLetterSequence = deadLetterSequence;
        foreach (var key in added)
        {
            Remember(key);
        }
        for (var g = 0; g < group.Count; g++)
        {
            group[g].Completion.TrySetResult(stored[g]);
        }
    }

    private long AppendDeadLetters(List<PendingAppend> group, long sequence)
    {
        if (!group.Exists(p => p.DeadLetters.Count > 0))
        {
            return sequence;
        }
        using var appender = _connection.CreateAppender("dead_letters");
        foreach (var pending in group)
        {
            foreach (var letter in pending.DeadLetters)
            {
                var row = appender.CreateRow()
                    .AppendValue(++sequence)
                    .AppendValue(letter.Time.UtcDateTime)
                    .AppendValue(letter.Source)
                    .AppendValue(letter.Topic);
                row = letter.ClientId is { } client ? row.AppendValue(client) : row.AppendNullValue();
                row = letter.TwinId is { } twin ? row.AppendValue(twin) : row.AppendNullValue();
                row.AppendValue(letter.Reason).AppendValue(letter.Message).AppendValue(letter.Payload).EndRow();
            }
        }
        return sequence;
    }

    public Task<DeadLetterPage> ReadDeadLettersAsync(DeadLetterQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var size = Math.Clamp(query.PageSize, 1, 10_000);
        var where = new StringBuilder("TRUE");
        var parameters = new List<object>();
        void Equal(string column, string? value)
        {
            if (value is not null)
            {
                parameters.Add(value);
                where.Append(CultureInfo.InvariantCulture, $" AND {column} = ${parameters.Count}");
            }
        }
        Equal("reason", query.Reason);
        Equal("source", query.Source);
        Equal("twin_id", query.TwinId);
        if (query.From is { } from)
        {
            parameters.Add(from.UtcDateTime);
            where.Append(CultureInfo.InvariantCulture, $" AND ts >= ${parameters.Count}");
        }
        if (query.To is { } to)
        {
            parameters.Add(to.UtcDateTime);
            where.Append(CultureInfo.InvariantCulture, $" AND ts < ${parameters.Count}");
        }
        return Task.Run(() =>
        {
            using var connection = Reader();
            long total;
            using (var count = Command(connection, $"SELECT count(*) FROM dead_letters WHERE {where}", parameters))
            {
                total = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            var pageWhere = query.Before is { } before ? string.Create(CultureInfo.InvariantCulture, $"{where} AND seq < {before}") : where.ToString();
            using var command = Command(connection,
                $"SELECT seq, ts, source, topic, client_id, twin_id, reason, message, payload FROM dead_letters WHERE {pageWhere} ORDER BY seq DESC LIMIT {size + 1}", parameters);
            using var reader = command.ExecuteReader();
            var letters = new List<DeadLetter>();
            long? next = null;
            long last = 0;
            while (reader.Read())
            {
                if (letters.Count == size)
                {
                    next = last;
                    break;
                }
                last = reader.GetInt64(0);
                letters.Add(new DeadLetter(
                    new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc)),
                    reader.GetString(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetString(6), reader.GetString(7), reader.GetString(8)));
            }
            return new DeadLetterPage(letters, next, total);
        }, ct);
    }

    public Task<IReadOnlyList<HistoryPoint>> LatestTelemetryAsync(CancellationToken ct = default) =>
        Task.Run(() =>
        {
            using var connection = Reader();
            using var command = Command(connection, $"""
                SELECT twin_id, name, ts, num, json FROM points WHERE kind = {(int)HistoryKind.Telemetry}
                QUALIFY row_number() OVER (PARTITION BY twin_id, name ORDER BY ts DESC, seq DESC) = 1
                """, []);
            using var reader = command.ExecuteReader();
            var points = new List<HistoryPoint>();
            while (reader.Read())
            {
                ct.ThrowIfCancellationRequested();
                points.Add(new HistoryPoint(reader.GetString(0), reader.GetString(1),
                    new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc)), HistoryKind.Telemetry,
                    reader.IsDBNull(3) ? null : reader.GetDouble(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
            return (IReadOnlyList<HistoryPoint>)points;
        }, ct);

    private void Remember((string TwinId, string Name, string MessageId) key)
    {
        _seenOrder.Enqueue(key);
        if (_seenOrder.Count > RememberedMessageIds)
        {
            _seen.Remove(_seenOrder.Dequeue());
        }
    }

    private void LoadMessageIds()
    {
        using var command = Command(_connection,
            $"SELECT twin_id, name, message_id FROM points WHERE message_id IS NOT NULL ORDER BY seq DESC LIMIT {RememberedMessageIds}", []);
        using var reader = command.ExecuteReader();
        var newestFirst = new List<(string, string, string)>();
        while (reader.Read())
        {
            newestFirst.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        for (var i = newestFirst.Count - 1; i >= 0; i--)
        {
            if (_seen.Add(newestFirst[i]))
            {
                Remember(newestFirst[i]);
            }
        }
    }

    private static void Filter(StringBuilder sql, List<object> parameters, IReadOnlyList<string> twinIds, IReadOnlyList<string> names, DateTimeOffset from, DateTimeOffset to)
    {
        sql.Append(CultureInfo.InvariantCulture, $"ts >= ${parameters.Count + 1} AND ts < ${parameters.Count + 2}");
        parameters.Add(from.UtcDateTime);
        parameters.Add(to.UtcDateTime);
        In(sql, parameters, "twin_id", twinIds);
        In(sql, parameters, "name", names);
    }

    private static void In(StringBuilder sql, List<object> parameters, string column, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }
        sql.Append(" AND ").Append(column).Append(" IN (");
        for (var i = 0; i < values.Count; i++)
        {
            sql.Append(i == 0 ? "$" : ", $").Append(parameters.Count + 1);
            parameters.Add(values[i]);
        }
        sql.Append(')');
    }

    private static DuckDBCommand Command(DuckDBConnection connection, string sql, IReadOnlyList<object> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var value in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(value));
        }
        return command;
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private sealed class PendingAppend(IReadOnlyList<HistoryPoint> points, DuplicateCheck check, IReadOnlyList<DeadLetter> deadLetters)
    {
        public IReadOnlyList<HistoryPoint> Points { get; } = points;

        public DuplicateCheck Check { get; } = check;

        public IReadOnlyList<DeadLetter> DeadLetters { get; } = deadLetters;

        public TaskCompletionSource<int> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
