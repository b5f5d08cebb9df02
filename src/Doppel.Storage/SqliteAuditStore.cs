using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Doppel.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace Doppel.Storage;

/// <summary>
/// The audit log in its own SQLite file (WAL mode) beside the twin store. Appends are group-committed: whatever callers
/// queued while another was writing goes into one transaction, and <see cref="AppendAsync"/> completes only after its records
/// committed, so a request acknowledged after its record was appended keeps the record through a crash.
/// </summary>
/// <remarks>
/// A file of its own, not a table in <c>twins.db</c>: the audit log only grows (and is pruned by age), and a long audit
/// read must never hold back the twin writer's checkpoints. The caller holds the data folder's lock (the twin store).
/// </remarks>
public sealed class SqliteAuditStore : IAsyncDisposable
{
    /// <summary>The database file name inside the data folder.</summary>
    public const string DatabaseFileName = "audit.db";

    private const int CurrentVersion = 1;

    /// <summary>A commit writes a few pages to the WAL; a checkpoint after this many keeps it to some tens of MB.</summary>
    private const int CommitsPerCheckpoint = 2048;

    private readonly Channel<PendingAudit> _queue = Channel.CreateUnbounded<PendingAudit>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _writeLock = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly string _connectionString;
    private bool _closed;
    private int _commitsSinceCheckpoint;
    private bool _checkpointing;

    private SqliteAuditStore(string databasePath, string connectionString, SqliteConnection connection)
    {
        DatabasePath = databasePath;
        _connectionString = connectionString;
        _connection = connection;
        _insert = connection.CreateCommand();
        _insert.CommandText =
            """
            INSERT INTO audit (time_ticks, subject, action, resource_kind, resource_id, status, summary)
            VALUES ($time, $subject, $action, $kind, $id, $status, $summary);
            """;
        _insert.Parameters.Add("$time", SqliteType.Integer);
        _insert.Parameters.Add("$subject", SqliteType.Text);
        _insert.Parameters.Add("$action", SqliteType.Text);
        _insert.Parameters.Add("$kind", SqliteType.Text);
        _insert.Parameters.Add("$id", SqliteType.Text);
        _insert.Parameters.Add("$status", SqliteType.Integer);
        _insert.Parameters.Add("$summary", SqliteType.Text);
        _insert.Prepare();

        // The writer owns a thread: a request waiting for its record should not also wait for a pool thread to write it.
        new Thread(WriteLoop) { IsBackground = true, Name = "Doppel.Storage audit writer" }.Start();
    }

    /// <summary>The full path of the SQLite database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Opens (creating when missing) <see cref="DatabaseFileName"/> in <paramref name="dataDirectory"/>.</summary>
    /// <remarks>
    /// <see cref="SynchronousMode.Normal"/> (what the server uses) keeps every returned append through a crash of the process
    /// (kill -9), but not necessarily through a power loss; <see cref="SynchronousMode.Full"/> adds an fsync per commit.
    /// </remarks>
    public static Task<SqliteAuditStore> OpenAsync(string dataDirectory, SynchronousMode synchronous, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        return Task.Run(() => Open(dataDirectory, synchronous), ct);
    }

    /// <summary>Appends records and completes once they are durable (their <see cref="AuditRecord.Sequence"/> is assigned by the store).</summary>
    /// <remarks>
    /// Group commit: the writer thread takes everything queued and writes it in one transaction. Without fsync (the log
    /// is crash-safe, see <see cref="OpenAsync"/>) a commit is a short write to the WAL.
    /// </remarks>
    public Task AppendAsync(params AuditRecord[] records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var pending = new PendingAudit(records);
        return _queue.Writer.TryWrite(pending) ? pending.Task : Task.FromException(new ObjectDisposedException(nameof(SqliteAuditStore)));
    }

    private void WriteLoop()
    {
        var reader = _queue.Reader;
        var group = new List<PendingAudit>();
        var records = new List<AuditRecord>();
        try
        {
            while (WaitToRead(reader))
            {
                while (records.Count < 8192 && reader.TryRead(out var pending))
                {
                    group.Add(pending);
                    records.AddRange(pending.Records);
                }
                try
                {
                    Write(records);
                }
                catch (Exception e)
                {
                    foreach (var pending in group)
                    {
                        pending.TrySetException(e);
                    }
                    throw;
                }
                foreach (var pending in group)
                {
                    pending.TrySetResult();
                }
                group.Clear();
                records.Clear();
            }
        }
        catch (Exception e)
        {
            // A broken file or connection: fail everyone waiting rather than leave them hanging.
            _queue.Writer.TryComplete(e);
            while (reader.TryRead(out var pending))
            {
                pending.TrySetException(e);
            }
        }
        finally
        {
            _writerStopped.TrySetResult();
        }
    }

    private static bool WaitToRead(ChannelReader<PendingAudit> reader)
    {
        var wait = reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private void Write(IReadOnlyList<AuditRecord> records)
    {
        lock (_writeLock)
        {
            using var tx = _connection.BeginTransaction();
            _insert.Transaction = tx;
            var parameters = _insert.Parameters;
            foreach (var record in records)
            {
                parameters[0].Value = record.Time.UtcTicks;
                parameters[1].Value = record.Subject;
                parameters[2].Value = record.Action;
                parameters[3].Value = record.ResourceKind;
                parameters[4].Value = record.ResourceId;
                parameters[5].Value = record.Status;
                parameters[6].Value = (object?)record.Summary ?? DBNull.Value;
                _insert.ExecuteNonQuery();
            }
            tx.Commit();
            if (++_commitsSinceCheckpoint >= CommitsPerCheckpoint && !_checkpointing)
            {
                _commitsSinceCheckpoint = 0;
                _checkpointing = true;
                ThreadPool.UnsafeQueueUserWorkItem(static store => store.Checkpoint(), this, preferLocal: false);
            }
        }
    }

    /// <summary>Copies the WAL into the database on a connection of its own (passive: writers go on meanwhile).</summary>
    private void Checkpoint()
    {
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            Schema.Scalar(connection, "PRAGMA wal_checkpoint(PASSIVE);");
        }
        catch (SqliteException)
        {
            // Busy or closing: the next checkpoint copies what this one left.
        }
        finally
        {
            Volatile.Write(ref _checkpointing, false);
        }
    }

    /// <summary>Deletes the records older than <paramref name="cutoff"/> (retention); returns how many went.</summary>
    public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff) => Task.Run(() =>
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            using var delete = _connection.CreateCommand();
            delete.CommandText = "DELETE FROM audit WHERE time_ticks < $cutoff;";
            delete.Parameters.AddWithValue("$cutoff", cutoff.UtcTicks);
            return delete.ExecuteNonQuery();
        }
    });

    /// <summary>Up to <paramref name="limit"/> records matching <paramref name="search"/>, newest first.</summary>
    public Task<IReadOnlyList<AuditRecord>> ReadAsync(AuditSearch search, int limit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ObjectDisposedException.ThrowIf(_closed, this);
        return Task.Run<IReadOnlyList<AuditRecord>>(() => Read(search, limit, ct), ct);
    }

    /// <summary>Writes what is queued, then closes the database; every append that completed is in it.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writerStopped.Task.ConfigureAwait(false);
        lock (_writeLock)
        {
            if (!_closed)
            {
                _closed = true;
                _insert.Dispose();
                _connection.Dispose();
            }
        }
    }

    private static SqliteAuditStore Open(string dataDirectory, SynchronousMode synchronous)
    {
        var directory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(directory);
        var databasePath = Path.Combine(directory, DatabaseFileName);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            var journalMode = (string?)Schema.Scalar(connection, "PRAGMA journal_mode = WAL;");
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL mode for '{databasePath}' (journal_mode is '{journalMode}').");
            }
            Schema.Scalar(connection, synchronous == SynchronousMode.Full ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;");
            // No checkpoint inside a commit: SQLite's automatic one runs in the committing call, with an fsync of the WAL and
            // the database, and a request's commit would wait for it. Checkpoints run beside the writer instead (Checkpoint).
            Schema.Scalar(connection, "PRAGMA wal_autocheckpoint = 0;");
            Migrate(connection);
            return new SqliteAuditStore(databasePath, connectionString, connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Migrate(SqliteConnection connection)
    {
        var version = Convert.ToInt32(Schema.Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException($"The audit log '{connection.DataSource}' has schema version {version}; this Doppel understands up to {CurrentVersion}.");
        }
        if (version == CurrentVersion)
        {
            return;
        }
        using var tx = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText =
            """
            CREATE TABLE audit (
                seq INTEGER PRIMARY KEY,
                time_ticks INTEGER NOT NULL,
                subject TEXT NOT NULL,
                action TEXT NOT NULL,
                resource_kind TEXT NOT NULL,
                resource_id TEXT NOT NULL,
                status INTEGER NOT NULL,
                summary TEXT
            );
            CREATE INDEX audit_time ON audit (time_ticks);
            CREATE INDEX audit_subject ON audit (subject, seq);
            CREATE INDEX audit_resource ON audit (resource_id, seq);
            PRAGMA user_version = 1;
            """;
        command.ExecuteNonQuery();
        tx.Commit();
    }

    private List<AuditRecord> Read(AuditSearch search, int limit, CancellationToken ct)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT seq, time_ticks, subject, action, resource_kind, resource_id, status, summary FROM audit WHERE 1 = 1");
        Where(search.Subject, "subject = $subject", "$subject");
        Where(search.Action, "action = $action", "$action");
        Where(search.ResourceKind, "resource_kind = $kind", "$kind");
        Where(search.ResourceId, "resource_id = $id", "$id");
        if (search.ResourcePrefix is { Length: > 0 } prefix)
        {
            // A range the index can use: every id that starts with the prefix sorts between it and it followed by U+10FFFF.
            sql.Append(" AND resource_id >= $prefix AND resource_id < $prefixEnd");
            command.Parameters.AddWithValue("$prefix", prefix);
            command.Parameters.AddWithValue("$prefixEnd", prefix + char.ConvertFromUtf32(0x10FFFF));
        }
        Where(search.Since?.UtcTicks, "time_ticks >= $since", "$since");
        Where(search.Until?.UtcTicks, "time_ticks < $until", "$until");
        Where(search.Before, "seq < $before", "$before");
        sql.Append(" ORDER BY seq DESC LIMIT $limit;");
        command.Parameters.AddWithValue("$limit", limit);
        command.CommandText = sql.ToString();

        var records = new List<AuditRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ct.ThrowIfCancellationRequested();
            records.Add(new AuditRecord(
                reader.GetInt64(0),
                new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }
        return records;

        void Where(object? value, string condition, string name)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(condition);
                command.Parameters.AddWithValue(name, value);
            }
        }
    }
}
