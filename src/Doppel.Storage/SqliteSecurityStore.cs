using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Doppel.Storage;

/// <summary>
/// API keys and policies in <c>security.db</c> of the data folder: few rows, written rarely, read once at start and
/// kept in memory by the server. Every write is committed (fsync'd) before it returns.
/// </summary>
public sealed class SqliteSecurityStore : IDisposable
{
    public const string FileName = "security.db";

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private SqliteSecurityStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (or creates) the store in a data folder.</summary>
    public static SqliteSecurityStore Open(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, FileName), Pooling = false }.ToString());
        connection.Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS api_keys (
                name TEXT PRIMARY KEY, key_id TEXT NOT NULL UNIQUE, secret_hash BLOB NOT NULL, role TEXT NOT NULL,
                created TEXT NOT NULL, revoked TEXT, certificate TEXT, description TEXT);
            CREATE TABLE IF NOT EXISTS policies (id TEXT PRIMARY KEY, document TEXT NOT NULL, updated TEXT NOT NULL);
            """);
        return new SqliteSecurityStore(connection);
    }

    /// <summary>Every key, revoked ones included, by name.</summary>
    public IReadOnlyList<StoredApiKey> Keys()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT name, key_id, secret_hash, role, created, revoked, certificate, description FROM api_keys ORDER BY name";
            using var reader = command.ExecuteReader();
            var keys = new List<StoredApiKey>();
            while (reader.Read())
            {
                keys.Add(new StoredApiKey(reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2), reader.GetString(3), Time(reader.GetString(4)),
                    reader.IsDBNull(5) ? null : Time(reader.GetString(5)), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
            }
            return keys;
        }
    }

    /// <summary>Adds a key; false when one with that name exists.</summary>
    public bool AddKey(StoredApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO api_keys (name, key_id, secret_hash, role, created, revoked, certificate, description)
                VALUES ($name, $keyId, $hash, $role, $created, NULL, $certificate, $description) ON CONFLICT(name) DO NOTHING
                """;
            command.Parameters.AddWithValue("$name", key.Name);
            command.Parameters.AddWithValue("$keyId", key.KeyId);
            command.Parameters.AddWithValue("$hash", key.SecretHash);
            command.Parameters.AddWithValue("$role", key.Role);
            command.Parameters.AddWithValue("$created", Text(key.Created));
            command.Parameters.AddWithValue("$certificate", (object?)key.CertificateThumbprint ?? DBNull.Value);
            command.Parameters.AddWithValue("$description", (object?)key.Description ?? DBNull.Value);
            return command.ExecuteNonQuery() == 1;
        }
    }

    /// <summary>Marks a key revoked; false when there is no such key or it was revoked already.</summary>
    public bool RevokeKey(string name, DateTimeOffset at)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "UPDATE api_keys SET revoked = $at WHERE name = $name AND revoked IS NULL";
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$at", Text(at));
            return command.ExecuteNonQuery() == 1;
        }
    }

    /// <summary>Every policy document, by id.</summary>
    public IReadOnlyList<(string Id, string Document)> Policies()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT id, document FROM policies ORDER BY id";
            using var reader = command.ExecuteReader();
            var policies = new List<(string, string)>();
            while (reader.Read())
            {
                policies.Add((reader.GetString(0), reader.GetString(1)));
            }
            return policies;
        }
    }

    /// <summary>Creates or replaces a policy; true when it was created.</summary>
    public bool PutPolicy(string id, string document, DateTimeOffset at)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var exists = _connection.CreateCommand();
            exists.CommandText = "SELECT 1 FROM policies WHERE id = $id";
            exists.Parameters.AddWithValue("$id", id);
            var created = exists.ExecuteScalar() is null;
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT INTO policies (id, document, updated) VALUES ($id, $document, $at) ON CONFLICT(id) DO UPDATE SET document = excluded.document, updated = excluded.updated";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$document", document);
            command.Parameters.AddWithValue("$at", Text(at));
            command.ExecuteNonQuery();
            transaction.Commit();
            return created;
        }
    }

    /// <summary>Deletes a policy; false when there was none.</summary>
    public bool DeletePolicy(string id)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM policies WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery() == 1;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Text(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
