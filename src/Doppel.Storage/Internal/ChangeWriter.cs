using Microsoft.Data.Sqlite;

namespace Doppel.Storage.Internal;

/// <summary>Prepared, reused statements that apply <see cref="StoreChange"/>s on the writer connection.</summary>
internal sealed class ChangeWriter : IDisposable
{
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private readonly SqliteCommand[] _byKind;

    public ChangeWriter(SqliteConnection connection)
    {
        _begin = Create(connection, "BEGIN IMMEDIATE;");
        _commit = Create(connection, "COMMIT;");
        _rollback = Create(connection, "ROLLBACK;");
        _byKind = new SqliteCommand[8];
        _byKind[(int)ChangeKind.PutModel] = Create(
            connection,
            """
            INSERT INTO models (id, json, upload_ticks, upload_offset_minutes, decommissioned) VALUES ($k1, $json, $ticks, $offset, $flag)
            ON CONFLICT (id) DO UPDATE SET json = excluded.json, upload_ticks = excluded.upload_ticks,
                upload_offset_minutes = excluded.upload_offset_minutes, decommissioned = excluded.decommissioned;
            """,
            ("$k1", SqliteType.Text), ("$json", SqliteType.Text), ("$ticks", SqliteType.Integer), ("$offset", SqliteType.Integer), ("$flag", SqliteType.Integer));
        _byKind[(int)ChangeKind.DeleteModel] = Create(connection, "DELETE FROM models WHERE id = $k1;", ("$k1", SqliteType.Text));
        _byKind[(int)ChangeKind.PutTwin] = Create(
            connection,
            "INSERT INTO twins (id, json) VALUES ($k1, CAST($json AS TEXT)) ON CONFLICT (id) DO UPDATE SET json = excluded.json;",
            ("$k1", SqliteType.Text), ("$json", SqliteType.Text));
        _byKind[(int)ChangeKind.DeleteTwin] = Create(connection, "DELETE FROM twins WHERE id = $k1;", ("$k1", SqliteType.Text));
        _byKind[(int)ChangeKind.PutRelationship] = Create(
            connection,
            """
            INSERT INTO relationships (source_id, relationship_id, target_id, name, json) VALUES ($k1, $k2, $e1, $e2, CAST($json AS TEXT))
            ON CONFLICT (source_id, relationship_id) DO UPDATE SET target_id = excluded.target_id, name = excluded.name, json = excluded.json;
            """,
            ("$k1", SqliteType.Text), ("$k2", SqliteType.Text), ("$e1", SqliteType.Text), ("$e2", SqliteType.Text), ("$json", SqliteType.Text));
        _byKind[(int)ChangeKind.DeleteRelationship] = Create(
            connection,
            "DELETE FROM relationships WHERE source_id = $k1 AND relationship_id = $k2;",
            ("$k1", SqliteType.Text), ("$k2", SqliteType.Text));
        _byKind[(int)ChangeKind.PutEventRoute] = Create(
            connection,
            "INSERT INTO event_routes (id, json) VALUES ($k1, $json) ON CONFLICT (id) DO UPDATE SET json = excluded.json;",
            ("$k1", SqliteType.Text), ("$json", SqliteType.Text));
        _byKind[(int)ChangeKind.DeleteEventRoute] = Create(connection, "DELETE FROM event_routes WHERE id = $k1;", ("$k1", SqliteType.Text));
    }

    public void Begin() => _begin.ExecuteNonQuery();

    public void Commit() => _commit.ExecuteNonQuery();

    public void Rollback() => _rollback.ExecuteNonQuery();

    public void Apply(StoreChange[] changes)
    {
        foreach (ref readonly var change in changes.AsSpan())
        {
            var command = _byKind[(int)change.Kind];
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
                case ChangeKind.PutTwin:
                case ChangeKind.PutEventRoute:
                    parameters[0].Value = change.Key1;
                    parameters[1].Value = (object?)change.Utf8Json ?? change.Json;
                    break;
                case ChangeKind.PutRelationship:
                    parameters[0].Value = change.Key1;
                    parameters[1].Value = change.Key2;
                    parameters[2].Value = change.Extra1;
                    parameters[3].Value = change.Extra2;
                    parameters[4].Value = (object?)change.Utf8Json ?? change.Json;
                    break;
                case ChangeKind.DeleteRelationship:
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
        _begin.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
        foreach (var command in _byKind)
        {
            command.Dispose();
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
