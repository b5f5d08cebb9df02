using Microsoft.Data.Sqlite;

namespace Doppel.Storage.Internal;

/// <summary>Creates and migrates the schema; <c>PRAGMA user_version</c> records the version.</summary>
internal static class Schema
{
    public const int CurrentVersion = 2;

    // Each entry migrates from version (index) to version (index + 1).
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE models (
            id TEXT NOT NULL PRIMARY KEY CHECK (length(id) > 0),
            json TEXT NOT NULL,
            upload_ticks INTEGER NOT NULL,
            upload_offset_minutes INTEGER NOT NULL,
            decommissioned INTEGER NOT NULL
        );
        CREATE TABLE twins (
            id TEXT NOT NULL PRIMARY KEY CHECK (length(id) > 0),
            json TEXT NOT NULL
        );
        CREATE TABLE relationships (
            source_id TEXT NOT NULL CHECK (length(source_id) > 0),
            relationship_id TEXT NOT NULL CHECK (length(relationship_id) > 0),
            target_id TEXT NOT NULL,
            name TEXT NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (source_id, relationship_id)
        );
        CREATE TABLE event_routes (
            id TEXT NOT NULL PRIMARY KEY CHECK (length(id) > 0),
            json TEXT NOT NULL
        );
        """,
        """
        CREATE TABLE documents (
            kind TEXT NOT NULL CHECK (length(kind) > 0),
            id TEXT NOT NULL CHECK (length(id) > 0),
            json TEXT NOT NULL,
            PRIMARY KEY (kind, id)
        );
        CREATE TABLE endpoints (
            name TEXT NOT NULL PRIMARY KEY CHECK (length(name) > 0),
            json TEXT NOT NULL
        );
        """,
    ];

    public static void Migrate(SqliteConnection connection)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The twin store '{connection.DataSource}' has schema version {version}; this Doppel understands up to {CurrentVersion}.");
        }

        for (; version < CurrentVersion; version++)
        {
            using var tx = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = Migrations[version] + $"\nPRAGMA user_version = {version + 1};";
            command.ExecuteNonQuery();
            tx.Commit();
        }
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
