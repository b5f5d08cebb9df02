using System.Threading.Channels;
using Doppel.Storage.Internal;
using Microsoft.Data.Sqlite;

namespace Doppel.Storage;

/// <summary>
/// The durable copy of the twin graph in one SQLite file (WAL mode). Concurrent <see cref="CommitAsync"/>
/// calls are group-committed: a single writer thread merges whatever is queued into one transaction and
/// completes each caller's task only after that transaction committed.
/// </summary>
public sealed class SqliteTwinStore : IAsyncDisposable
{
    /// <summary>The database file name inside <see cref="StorageOptions.DataDirectory"/>.</summary>
    public const string DatabaseFileName = "twins.db";

    private readonly Channel<PendingCommit> _queue = Channel.CreateUnbounded<PendingCommit>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DirectoryLock _directoryLock;
    private readonly SqliteConnection _connection;
    private readonly ChangeWriter _changeWriter;
    private readonly string _connectionString;
    private readonly int _maxChangesPerTransaction;
    private long _transactionCount;
    private long _committedBatchCount;
    private int _disposed;

    private SqliteTwinStore(string databasePath, string connectionString, DirectoryLock directoryLock, SqliteConnection connection, int maxChangesPerTransaction)
    {
        DatabasePath = databasePath;
        _connectionString = connectionString;
        _directoryLock = directoryLock;
        _connection = connection;
        _changeWriter = new ChangeWriter(connection);
        _maxChangesPerTransaction = maxChangesPerTransaction;

        // SQLite calls block (fsync), so the writer owns a thread instead of borrowing pool threads.
        new Thread(WriteLoop) { IsBackground = true, Name = "Doppel.Storage writer" }.Start();
    }

    /// <summary>The full path of the SQLite database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Transactions committed by the writer since open (merged groups count once).</summary>
    internal long TransactionCount => Interlocked.Read(ref _transactionCount);

    /// <summary>Caller batches committed since open.</summary>
    internal long CommittedBatchCount => Interlocked.Read(ref _committedBatchCount);

    /// <summary>Reads a PRAGMA on the writer connection, where per-connection settings live.</summary>
    internal async Task<object?> PragmaAsync(string name)
    {
        var probe = new PragmaProbe(name);
        if (!_queue.Writer.TryWrite(probe))
        {
            throw new ObjectDisposedException(nameof(SqliteTwinStore));
        }

        await probe.Task.ConfigureAwait(false);
        return probe.Result;
    }

    /// <summary>Opens (creating when missing) the store in <see cref="StorageOptions.DataDirectory"/> and takes the folder's lock.</summary>
    /// <exception cref="DataDirectoryInUseException">Another store already holds the folder.</exception>
    public static Task<SqliteTwinStore> OpenAsync(StorageOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Task.Run(() => Open(options), ct);
    }

    /// <summary>Reads everything in one consistent snapshot, for start-up.</summary>
    public Task<StoreSnapshot> LoadAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return Task.Run(() => Load(ct), ct);
    }

    /// <summary>Reads the documents of one kind, ordered by id, for a subsystem that loads its own after start-up.</summary>
    public Task<IReadOnlyList<StoredDocument>> LoadDocumentsAsync(string kind, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return Task.Run<IReadOnlyList<StoredDocument>>(() =>
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, json FROM documents WHERE kind = $kind ORDER BY id;";
            command.Parameters.AddWithValue("$kind", kind);
            var documents = new List<StoredDocument>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ct.ThrowIfCancellationRequested();
                documents.Add(new StoredDocument(kind, reader.GetString(0), reader.GetString(1)));
            }
            return documents;
        }, ct);
    }

    /// <summary>
    /// Queues <paramref name="batch"/> and completes once it is durable. The batch is applied atomically
    /// and may share a transaction with other callers' batches. Cancellation is honoured only until the
    /// writer picks the batch up; a task that completes successfully means committed, a cancelled one means not applied.
    /// </summary>
    public Task CommitAsync(StoreBatch batch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled(ct);
        }

        if (batch.Count == 0)
        {
            return Volatile.Read(ref _disposed) != 0 ? Task.FromException(new ObjectDisposedException(nameof(SqliteTwinStore))) : Task.CompletedTask;
        }

        // Copy so the caller may reuse or change the batch while it waits in the queue.
        var pending = new PendingCommit(batch.Changes.ToArray(), ct);
        if (!_queue.Writer.TryWrite(pending))
        {
            return Task.FromException(new ObjectDisposedException(nameof(SqliteTwinStore)));
        }

        return pending.Task;
    }

    /// <summary>Commits everything already queued, then closes the database and releases the folder lock.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await _writerStopped.Task.ConfigureAwait(false);
            return;
        }

        _queue.Writer.TryComplete();
        await _writerStopped.Task.ConfigureAwait(false);
    }

    private static SqliteTwinStore Open(StorageOptions options)
    {
        var directory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(directory);
        var directoryLock = DirectoryLock.Acquire(directory);
        SqliteConnection? connection = null;
        try
        {
            var databasePath = Path.Combine(directory, DatabaseFileName);
            var connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = databasePath,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
            }.ToString();

            connection = new SqliteConnection(connectionString);
            connection.Open();
            var journalMode = (string?)Schema.Scalar(connection, "PRAGMA journal_mode = WAL;");
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL mode for '{databasePath}' (journal_mode is '{journalMode}').");
            }

            Schema.Scalar(connection, options.Synchronous == SynchronousMode.Full ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;");
            // A bigger page cache and fewer, larger checkpoints: a bulk import's chunk dirties thousands of pages, and the default
            // (2 MB cache, checkpoint every 1,000 WAL pages) re-reads B-tree pages and checkpoints, with an fsync, after nearly every commit.
            // Durability is unchanged: a commit is still fsync'd in the WAL.
            Schema.Scalar(connection, "PRAGMA cache_size = -65536;");
            Schema.Scalar(connection, "PRAGMA wal_autocheckpoint = 16384;");
            Schema.Migrate(connection);
            return new SqliteTwinStore(databasePath, connectionString, directoryLock, connection, options.MaxChangesPerTransaction);
        }
        catch
        {
            connection?.Dispose();
            directoryLock.Dispose();
            throw;
        }
    }

    private StoreSnapshot Load(CancellationToken ct)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var tx = connection.BeginTransaction(deferred: true);
        using var command = connection.CreateCommand();
        command.Transaction = tx;

        var models = new List<StoredModel>();
        command.CommandText = "SELECT id, json, upload_ticks, upload_offset_minutes, decommissioned FROM models ORDER BY upload_ticks, rowid;";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var uploadTime = new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(reader.GetInt64(3)));
                models.Add(new StoredModel(reader.GetString(0), reader.GetString(1), uploadTime, reader.GetInt64(4) != 0));
            }
        }

        ct.ThrowIfCancellationRequested();
        var twins = new List<StoredTwin>();
        command.CommandText = "SELECT id, json FROM twins ORDER BY rowid;";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                twins.Add(new StoredTwin(reader.GetString(0), reader.GetString(1)));
            }
        }

        ct.ThrowIfCancellationRequested();
        var relationships = new List<StoredRelationship>();
        command.CommandText = "SELECT source_id, relationship_id, target_id, name, json FROM relationships ORDER BY rowid;";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                relationships.Add(new StoredRelationship(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
            }
        }

        ct.ThrowIfCancellationRequested();
        var eventRoutes = new List<StoredEventRoute>();
        command.CommandText = "SELECT id, json FROM event_routes ORDER BY rowid;";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                eventRoutes.Add(new StoredEventRoute(reader.GetString(0), reader.GetString(1)));
            }
        }

        ct.ThrowIfCancellationRequested();
        var documents = new List<StoredDocument>();
        command.CommandText = "SELECT kind, id, json FROM documents ORDER BY kind, id;";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                documents.Add(new StoredDocument(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        ct.ThrowIfCancellationRequested();
        var endpoints = new List<StoredEndpoint>();
        command.CommandText = "SELECT name, json FROM endpoints ORDER BY rowid;";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                endpoints.Add(new StoredEndpoint(reader.GetString(0), reader.GetString(1)));
            }
        }

        tx.Commit();
        return new StoreSnapshot(models, twins, relationships, eventRoutes, documents, endpoints);
    }

    private void WriteLoop()
    {
        var reader = _queue.Reader;
        var group = new List<PendingCommit>();
        try
        {
            while (WaitToRead(reader))
            {
                var changes = 0;
                while (changes < _maxChangesPerTransaction && reader.TryRead(out var pending))
                {
                    if (pending is PragmaProbe probe)
                    {
                        try
                        {
                            probe.Result = Schema.Scalar(_connection, $"PRAGMA {probe.Name};");
                            probe.TrySetResult();
                        }
                        catch (SqliteException e)
                        {
                            probe.TrySetException(e);
                        }

                        continue;
                    }

                    if (pending.CancellationToken.IsCancellationRequested)
                    {
                        pending.TrySetCanceled(pending.CancellationToken);
                        continue;
                    }

                    group.Add(pending);
                    changes += pending.Changes.Length;
                }

                if (group.Count > 0)
                {
                    CommitGroup(group);
                    group.Clear();
                }
            }
        }
        catch (Exception e)
        {
            // A bug or a broken connection: fail everyone waiting rather than leave them hanging.
            _queue.Writer.TryComplete(e);
            foreach (var pending in group)
            {
                pending.TrySetException(e);
            }

            while (reader.TryRead(out var pending))
            {
                pending.TrySetException(e);
            }
        }
        finally
        {
            _changeWriter.Dispose();
            _connection.Dispose();
            _directoryLock.Dispose();
            _writerStopped.TrySetResult();
        }
    }

    private static bool WaitToRead(ChannelReader<PendingCommit> reader)
    {
        var wait = reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private void CommitGroup(List<PendingCommit> group)
    {
        try
        {
            _changeWriter.Begin();
            foreach (var pending in group)
            {
                _changeWriter.Apply(pending.Changes);
            }

            _changeWriter.Commit();
        }
        catch (Exception e)
        {
            TryRollback();
            if (group.Count == 1)
            {
                group[0].TrySetException(e);
                return;
            }

            // Retry one by one so a bad batch fails only its own caller.
            foreach (var pending in group)
            {
                CommitAlone(pending);
            }

            return;
        }

        Interlocked.Increment(ref _transactionCount);
        Interlocked.Add(ref _committedBatchCount, group.Count);
        foreach (var pending in group)
        {
            pending.TrySetResult();
        }
    }

    private void CommitAlone(PendingCommit pending)
    {
        try
        {
            _changeWriter.Begin();
            _changeWriter.Apply(pending.Changes);
            _changeWriter.Commit();
        }
        catch (Exception e)
        {
            TryRollback();
            pending.TrySetException(e);
            return;
        }

        Interlocked.Increment(ref _transactionCount);
        Interlocked.Increment(ref _committedBatchCount);
        pending.TrySetResult();
    }

    private void TryRollback()
    {
        try
        {
            _changeWriter.Rollback();
        }
        catch (SqliteException)
        {
            // SQLite already rolled back (e.g. after an I/O error); nothing left to undo.
        }
    }
}
