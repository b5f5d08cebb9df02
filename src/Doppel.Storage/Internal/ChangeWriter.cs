using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Doppel.Storage.Internal;

/// <summary>Prepared, reused statements that apply <see cref="StoreChange"/>s on the writer connection.</summary>
/// <remarks>
/// Twin and relationship puts, the bulk of every commit, run as raw SQLite statements bound by position: through
/// <see cref="SqliteCommand"/> each row paid a by-name parameter lookup, a reader and a stopwatch, more than SQLite's own insert.
/// </remarks>
internal sealed class ChangeWriter : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _putTwin;
    private readonly sqlite3_stmt _putRelationship;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private readonly SqliteCommand?[] _byKind;

    public ChangeWriter(SqliteConnection connection)
    {
        _db = connection.Handle!;
        _putTwin = Prepare("INSERT INTO twins (id, json) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET json = excluded.json;");
        _putRelationship = Prepare(
            """
            INSERT INTO relationships (source_id, relationship_id, target_id, name, json) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (source_id, relationship_id) DO UPDATE SET target_id = excluded.target_id, name = excluded.name, json = excluded.json;
            """);
        _begin = Create(connection, "BEGIN IMMEDIATE;");
        _commit = Create(connection, "COMMIT;");
        _rollback = Create(connection, "ROLLBACK;");
        _byKind = new SqliteCommand?[Enum.GetValues<ChangeKind>().Length];
        _byKind[(int)ChangeKind.PutModel] = Create(
            connection,
            """
            INSERT INTO models (id, json, upload_ticks, upload_offset_minutes, decommissioned) VALUES ($k1, $json, $ticks, $offset, $flag)
            ON CONFLICT (id) DO UPDATE SET json = excluded.json, upload_ticks = excluded.upload_ticks,
                upload_offset_minutes = excluded.upload_offset_minutes, decommissioned = excluded.decommissioned;
            """,
            ("$k1", SqliteType.Text), ("$json", SqliteType.Text), ("$ticks", SqliteType.Integer), ("$offset", SqliteType.Integer), ("$flag", SqliteType.Integer));
        _byKind[(int)ChangeKind.DeleteModel] = Create(connection, "DELETE FROM models WHERE id = $k1;", ("$k1", SqliteType.Text));
        _byKind[(int)ChangeKind.DeleteTwin] = Create(connection, "DELETE FROM twins WHERE id = $k1;", ("$k1", SqliteType.Text));
        _byKind[(int)ChangeKind.DeleteRelationship] = Create(
            connection,
            "DELETE FROM relationships WHERE source_id = $k1 AND relationship_id = $k2;",
            ("$k1", SqliteType.Text), ("$k2", SqliteType.Text));
        _byKind[(int)ChangeKind.PutEventRoute] = Create(
            connection,
            "INSERT INTO event_routes (id, json) VALUES ($k1, $json) ON CONFLICT (id) DO UPDATE SET json = excluded.json;",
            ("$k1", SqliteType.Text), ("$json", SqliteType.Text));
        _byKind[(int)ChangeKind.DeleteEventRoute] = Create(connection, "DELETE FROM event_routes WHERE id = $k1;", ("$k1", SqliteType.Text));
        _byKind[(int)ChangeKind.PutDocument] = Create(
            connection,
            "INSERT INTO documents (kind, id, json) VALUES ($k1, $k2, $json) ON CONFLICT (kind, id) DO UPDATE SET json = excluded.json;",
            ("$k1", SqliteType.Text), ("$k2", SqliteType.Text), ("$json", SqliteType.Text));
        _byKind[(int)ChangeKind.DeleteDocument] = Create(connection, "DELETE FROM documents WHERE kind = $k1 AND id = $k2;", ("$k1", SqliteType.Text), ("$k2", SqliteType.Text));
        _byKind[(int)ChangeKind.PutEndpoint] = Create(
            connection,
            "INSERT INTO endpoints (name, json) VALUES ($k1, $json) ON CONFLICT (name) DO UPDATE SET json = excluded.json;",
            ("$k1", SqliteType.Text), ("$json", SqliteType.Text));
        _byKind[(int)ChangeKind.DeleteEndpoint] = Create(connection, "DELETE FROM endpoints WHERE name = $k1;", ("$k1", SqliteType.Text));
    }

    public void Begin() => _begin.ExecuteNonQuery();

    public void Commit() => _commit.ExecuteNonQuery();

    public void Rollback() => _rollback.ExecuteNonQuery();

    public void Apply(StoreChange[] changes)
    {
        foreach (ref readonly var change in changes.AsSpan())
        {
            if (change.Kind == ChangeKind.PutTwin)
            {
                BindText(_putTwin, 1, change.Key1);
                BindJson(_putTwin, 2, change);
                Step(_putTwin);
                continue;
            }

            if (change.Kind == ChangeKind.PutRelationship)
            {
                BindText(_putRelationship, 1, change.Key1);
                BindText(_putRelationship, 2, change.Key2!);
                BindText(_putRelationship, 3, change.Extra1!);
                BindText(_putRelationship, 4, change.Extra2!);
                BindJson(_putRelationship, 5, change);
                Step(_putRelationship);
                continue;
            }

            var command = _byKind[(int)change.Kind]!;
            var parameters = command.Parameters;
            switch (change.Kind)
            {
                case ChangeKind.PutModel:
                    parameters[0].Value = change.Key1;
                    parameters[1].Value = change.Json;
                    parameters[2].Value = change.Time.UtcTicks;
                    parameters[3].Value = (long)change.Time.TotalOffsetMinutes;
                    parameters[4].Value = change.Flag ? 1L : 0L;
                    break;
                case ChangeKind.PutEventRoute:
                case ChangeKind.PutEndpoint:
                    parameters[0].Value = change.Key1;
                    parameters[1].Value = (object?)change.Utf8Json ?? change.Json;
                    break;
                case ChangeKind.PutDocument:
                    parameters[0].Value = change.Key1;
                    parameters[1].Value = change.Key2;
                    parameters[2].Value = change.Json;
                    break;
                case ChangeKind.DeleteRelationship:
                case ChangeKind.DeleteDocument:
                    parameters[0].Value = change.Key1;
                    parameters[1].Value = change.Key2;
                    break;
                default:
                    parameters[0].Value = change.Key1;
                    break;
            }

            command.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        _putTwin.Dispose();
        _putRelationship.Dispose();
        _begin.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
        foreach (var command in _byKind)
        {
            command?.Dispose();
        }
    }

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_db, sql, out var statement));
        return statement;
    }

    private void BindText(sqlite3_stmt statement, int index, string value) => Check(raw.sqlite3_bind_text(statement, index, value));

    private void BindJson(sqlite3_stmt statement, int index, in StoreChange change) =>
        Check(change.Utf8Json is { } utf8 ? raw.sqlite3_bind_text(statement, index, utf8) : raw.sqlite3_bind_text(statement, index, change.Json!));

    private void Step(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, SqliteType Type)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }
}
