using System.Globalization;
using System.Threading.Channels;
using Doppel.History;
using Doppel.Ingest;
using Doppel.Storage.Internal;
using DuckDB.NET.Data;

namespace Doppel.Storage;

/// <summary>
/// History in an embedded DuckDB file (<c>history.duckdb</c> in the data folder), appended by a single writer thread
/// that group-commits whatever is queued (DuckDB's WAL makes a commit durable).
/// </summary>
/// <remarks>
/// <para>
/// Points are keyed by a series id (one per twin and name, in table <c>series</c>). New points land in <c>points</c> in
/// arrival order; once it holds <see cref="HistoryStoreOptions.CompactionRows"/> rows the writer moves them into
/// <c>archive</c> sorted by series and time, so that a query for one twin reads a few row groups instead of the whole
/// table. <see cref="CompactAsync"/> re-sorts the whole archive, making every series one contiguous run.
/// </para>
/// <para>
/// Times are stored in microseconds (DuckDB's TIMESTAMP); finer fractions are truncated. Each point gets a sequence
/// number in arrival order, so points with equal times have a stable order for paging and for first/last.
/// </para>
/// </remarks>
public sealed partial class DuckDbHistoryStore : IHistoryStore, IDeadLetterStore
{
    public const string FileName = "history.duckdb";

    // Message ids remembered for de-duplication; older ones fall out first.
    private const int RememberedMessageIds = 1_000_000;

    private const string PointColumns = "series INTEGER NOT NULL, ts TIMESTAMP NOT NULL, kind UTINYINT NOT NULL, num DOUBLE, json VARCHAR, message_id VARCHAR, seq BIGINT NOT NULL";

    private readonly DuckDBConnection _connection;
    // Readers open their own connections; DuckDB.NET shares one database instance per file within the process.
    private readonly string _connectionString;
    private readonly HistoryStoreOptions _options;
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SeriesCatalog _series = new();
    private readonly HashSet<(string TwinId, string Name, string MessageId)> _seen = [];
    private readonly Queue<(string TwinId, string Name, string MessageId)> _seenOrder = new();
    // Retention, downsampling and compaction rewrite stored rows: one at a time, and never beside the writer's own compaction.
    private readonly SemaphoreSlim _maintenance = new(1, 1);
    private long _sequence;
    private long _deadLetterSequence;
    private long _recentRows;
    // Counted here: a single-reader channel cannot count its items.
    private int _pending;
    private volatile bool _disposed;

    private DuckDbHistoryStore(DuckDBConnection connection, HistoryStoreOptions options)
    {
        _connection = connection;
        _connectionString = connection.ConnectionString;
        _options = options;
    }

    public string DatabasePath { get; private init; } = "";

    /// <summary>Appends waiting for the writer: the back-pressure gauge.</summary>
    public int PendingAppends => Volatile.Read(ref _pending);

    /// <summary>Opens (creating when missing) the history file of a data folder; replays DuckDB's WAL after a crash.</summary>
    public static DuckDbHistoryStore Open(string dataDirectory, HistoryStoreOptions? options = null)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        var connection = new DuckDBConnection($"Data Source={path}");
        try
        {
            connection.Open();
            CreateOrMigrate(connection);
            var store = new DuckDbHistoryStore(connection, options ?? new HistoryStoreOptions()) { DatabasePath = path };
            store.Load();
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

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writerStopped.Task;
        _disposed = true;
    }

    private static void CreateOrMigrate(DuckDBConnection connection)
    {
        // Version 1 kept twin_id and name on every point: move them into series, and the points into a sorted archive.
        var legacy = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'points' AND column_name = 'twin_id'"), CultureInfo.InvariantCulture) > 0;
        using (var transaction = connection.BeginTransaction())
        {
            if (legacy)
            {
                Execute(connection, """
                    CREATE TABLE series AS
                    SELECT (row_number() OVER (ORDER BY twin_id, name))::INTEGER AS id, twin_id, name FROM (SELECT DISTINCT twin_id, name FROM points)
                    """);
                Execute(connection, $"CREATE TABLE archive ({PointColumns})");
                Execute(connection, """
                    INSERT INTO archive SELECT s.id, p.ts, p.kind, p.num, p.json, p.message_id, p.seq
                    FROM points p JOIN series s USING (twin_id, name) ORDER BY s.id, p.ts, p.seq
                    """);
                Execute(connection, "DROP TABLE points");
            }
            Execute(connection, "CREATE TABLE IF NOT EXISTS series (id INTEGER NOT NULL, twin_id VARCHAR NOT NULL, name VARCHAR NOT NULL)");
            Execute(connection, $"CREATE TABLE IF NOT EXISTS points ({PointColumns})");
            Execute(connection, $"CREATE TABLE IF NOT EXISTS archive ({PointColumns})");
            Execute(connection, "CREATE OR REPLACE VIEW history AS SELECT * FROM archive UNION ALL SELECT * FROM points");
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
            transaction.Commit();
        }
    }

    private void Load()
    {
        using (var command = Command(_connection, "SELECT id, twin_id, name FROM series ORDER BY id", []))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                _series.Load(reader.GetInt32(0), reader.GetString(1), reader.GetString(2));
            }
        }
        _sequence = Convert.ToInt64(Scalar(_connection, "SELECT coalesce(max(seq), 0) FROM history"), CultureInfo.InvariantCulture);
        _deadLetterSequence = Convert.ToInt64(Scalar(_connection, "SELECT coalesce(max(seq), 0) FROM dead_letters"), CultureInfo.InvariantCulture);
        _recentRows = Convert.ToInt64(Scalar(_connection, "SELECT count(*) FROM points"), CultureInfo.InvariantCulture);
        LoadMessageIds();
    }

    private void LoadMessageIds()
    {
        using var command = Command(_connection,
            $"SELECT series, message_id FROM history WHERE message_id IS NOT NULL ORDER BY seq DESC LIMIT {RememberedMessageIds}", []);
        using var reader = command.ExecuteReader();
        var newestFirst = new List<(string, string, string)>();
        while (reader.Read())
        {
            var (twin, name) = _series.Key(reader.GetInt32(0));
            newestFirst.Add((twin, name, reader.GetString(1)));
        }
        for (var i = newestFirst.Count - 1; i >= 0; i--)
        {
            if (_seen.Add(newestFirst[i]))
            {
                Remember(newestFirst[i]);
            }
        }
    }

    private Task<int> Enqueue(PendingAppend pending, CancellationToken ct)
    {
        if (!_queue.Writer.TryWrite(pending))
        {
            return Task.FromException<int>(new ObjectDisposedException(nameof(DuckDbHistoryStore)));
        }
        Interlocked.Increment(ref _pending);
        // A caller that stops waiting does not undo the append: it commits with its group.
        return pending.Completion.Task.WaitAsync(ct);
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
                    Interlocked.Decrement(ref _pending);
                }
                CommitGroup(group);
                if (_recentRows >= _options.CompactionRows)
                {
                    CompactRecent();
                }
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
            var ids = SeriesIds(group);
            using var transaction = _connection.BeginTransaction();
            using (var appender = _connection.CreateAppender("points"))
            {
                var i = 0;
                for (var g = 0; g < group.Count; g++)
                {
                    foreach (var point in group[g].Points)
                    {
                        var series = ids[i++];
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
                            .AppendValue(series)
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
        _recentRows += sequence - _sequence;
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

    /// <summary>The series id of every point of the group, in order; new series are committed first, in their own transaction.</summary>
    private int[] SeriesIds(List<PendingAppend> group)
    {
        var ids = new int[group.Sum(p => p.Points.Count)];
        var created = new List<(int Id, string TwinId, string Name)>();
        var i = 0;
        foreach (var pending in group)
        {
            foreach (var point in pending.Points)
            {
                ids[i++] = _series.GetOrAdd(point.TwinId, point.Name, created);
            }
        }
        if (created.Count > 0)
        {
            // Committed ahead of the points: if the points' transaction then fails, an unused series is harmless.
            using var transaction = _connection.BeginTransaction();
            using (var appender = _connection.CreateAppender("series"))
            {
                foreach (var (id, twin, name) in created)
                {
                    appender.CreateRow().AppendValue(id).AppendValue(twin).AppendValue(name).EndRow();
                }
            }
            transaction.Commit();
        }
        return ids;
    }

    private void Remember((string TwinId, string Name, string MessageId) key)
    {
        _seenOrder.Enqueue(key);
        if (_seenOrder.Count > RememberedMessageIds)
        {
            _seen.Remove(_seenOrder.Dequeue());
        }
    }

    private DuckDBConnection Reader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new DuckDBConnection(_connectionString);
        connection.Open();
        return connection;
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
