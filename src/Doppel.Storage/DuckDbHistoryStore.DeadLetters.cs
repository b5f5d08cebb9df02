using System.Globalization;
using System.Text;
using Doppel.History;
using Doppel.Ingest;

namespace Doppel.Storage;

public sealed partial class DuckDbHistoryStore
{
    public Task AppendDeadLettersAsync(IReadOnlyList<DeadLetter> letters, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(letters);
        return letters.Count == 0 ? Task.CompletedTask : Enqueue(new PendingAppend([], DuplicateCheck.Skip, letters), ct);
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
}
