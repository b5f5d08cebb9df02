using System.Text;
using Microsoft.Data.Sqlite;

namespace Doppel.Storage;

/// <summary>
/// Alert rules and alerts in <c>alerts.db</c> of the data folder (WAL, <c>synchronous=FULL</c>): an alert is one row
/// with its search columns and its JSON, which holds every transition. A batch of alert changes commits in one
/// transaction; the caller holds the data folder's lock (the twin store).
/// </summary>
public sealed class SqliteAlertStore : IDisposable
{
    public const string FileName = "alerts.db";

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private SqliteAlertStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (or creates) the store in a data folder.</summary>
    public static SqliteAlertStore Open(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, FileName), Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS rules (id TEXT PRIMARY KEY, document TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS alerts (
                id TEXT PRIMARY KEY, rule_id TEXT NOT NULL, twin_id TEXT NOT NULL, severity TEXT NOT NULL, state TEXT NOT NULL,
                raised_ticks INTEGER NOT NULL, document TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS alerts_open ON alerts (state) WHERE state <> 'resolved';
            CREATE INDEX IF NOT EXISTS alerts_rule ON alerts (rule_id, id);
            CREATE INDEX IF NOT EXISTS alerts_twin ON alerts (twin_id, id);
            """;
        command.ExecuteNonQuery();
        return new SqliteAlertStore(connection);
    }

    /// <summary>Every rule document, by id.</summary>
    public IReadOnlyList<(string Id, string Document)> Rules()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT id, document FROM rules ORDER BY id";
            using var reader = command.ExecuteReader();
            var rules = new List<(string, string)>();
            while (reader.Read())
            {
                rules.Add((reader.GetString(0), reader.GetString(1)));
            }
            return rules;
        }
    }

    public void PutRule(string id, string document)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT INTO rules (id, document) VALUES ($id, $document) ON CONFLICT(id) DO UPDATE SET document = excluded.document";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$document", document);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Deletes a rule; false when there was none (its alerts stay, as the record of what happened).</summary>
    public bool DeleteRule(string id)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM rules WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery() == 1;
        }
    }

    /// <summary>Inserts or replaces alerts in one transaction (durable when it returns).</summary>
    public void Write(IReadOnlyList<StoredAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO alerts (id, rule_id, twin_id, severity, state, raised_ticks, document)
                VALUES ($id, $rule, $twin, $severity, $state, $raised, $document)
                ON CONFLICT(id) DO UPDATE SET severity = excluded.severity, state = excluded.state, document = excluded.document
                """;
            var id = command.Parameters.Add("$id", SqliteType.Text);
            var rule = command.Parameters.Add("$rule", SqliteType.Text);
            var twin = command.Parameters.Add("$twin", SqliteType.Text);
            var severity = command.Parameters.Add("$severity", SqliteType.Text);
            var state = command.Parameters.Add("$state", SqliteType.Text);
            var raised = command.Parameters.Add("$raised", SqliteType.Integer);
            var document = command.Parameters.Add("$document", SqliteType.Text);
            foreach (var alert in alerts)
            {
                id.Value = alert.Id;
                rule.Value = alert.RuleId;
                twin.Value = alert.TwinId;
                severity.Value = alert.Severity;
                state.Value = alert.State;
                raised.Value = alert.RaisedTime.UtcTicks;
                document.Value = alert.Json;
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }

    /// <summary>An alert's JSON, or null.</summary>
    public string? Get(string id)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT document FROM alerts WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteScalar() as string;
        }
    }

    /// <summary>The JSON of every alert not resolved.</summary>
    public IReadOnlyList<string> Open() => Search(new AlertSearch(["raised", "acknowledged"], null, null, null, null, null), null, int.MaxValue);

    /// <summary>Alerts matching <paramref name="search"/>, newest first, after the id <paramref name="beforeId"/> when paging.</summary>
    public IReadOnlyList<string> Search(AlertSearch search, string? beforeId, int limit)
    {
        ArgumentNullException.ThrowIfNull(search);
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            var sql = new StringBuilder("SELECT document FROM alerts WHERE 1 = 1");
            if (search.States.Count > 0)
            {
                sql.Append(" AND state IN (");
                for (var i = 0; i < search.States.Count; i++)
                {
                    sql.Append(i == 0 ? "" : ", ").Append("$s").Append(i);
                    command.Parameters.AddWithValue("$s" + i, search.States[i]);
                }
                sql.Append(')');
            }
            Filter(command, sql, "rule_id", "$rule", search.RuleId);
            Filter(command, sql, "twin_id", "$twin", search.TwinId);
            Filter(command, sql, "severity", "$severity", search.Severity);
            if (search.From is { } from)
            {
                sql.Append(" AND raised_ticks >= $from");
                command.Parameters.AddWithValue("$from", from.UtcTicks);
            }
            if (search.To is { } to)
            {
                sql.Append(" AND raised_ticks < $to");
                command.Parameters.AddWithValue("$to", to.UtcTicks);
            }
            if (beforeId is not null)
            {
                sql.Append(" AND id < $before");
                command.Parameters.AddWithValue("$before", beforeId);
            }
            sql.Append(" ORDER BY id DESC LIMIT $limit");
            command.Parameters.AddWithValue("$limit", limit);
            command.CommandText = sql.ToString();
            using var reader = command.ExecuteReader();
            var found = new List<string>();
            while (reader.Read())
            {
                found.Add(reader.GetString(0));
            }
            return found;
        }
    }

    private static void Filter(SqliteCommand command, StringBuilder sql, string column, string parameter, string? value)
    {
        if (value is not null)
        {
            sql.Append(" AND ").Append(column).Append(" = ").Append(parameter);
            command.Parameters.AddWithValue(parameter, value);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }
}
