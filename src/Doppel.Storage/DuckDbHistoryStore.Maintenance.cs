using System.Globalization;
using DuckDB.NET.Data;

namespace Doppel.Storage;

public sealed partial class DuckDbHistoryStore
{
    public Task<long> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken ct = default) =>
        MaintainAsync(connection =>
        {
            using var archive = Command(connection, "DELETE FROM archive WHERE ts < $1", [cutoff.UtcDateTime]);
            using var recent = Command(connection, "DELETE FROM points WHERE ts < $1", [cutoff.UtcDateTime]);
            return (long)archive.ExecuteNonQuery() + recent.ExecuteNonQuery();
        }, ct);

    public Task<long> DownsampleBeforeAsync(DateTimeOffset cutoff, TimeSpan bucket, CancellationToken ct = default)
    {
        var bucketMicros = (long)(bucket.Ticks / TimeSpan.TicksPerMicrosecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketMicros, 1, nameof(bucket));
        // Whole buckets only: a bucket that straddles the cutoff keeps its raw points until it is entirely older.
        var end = cutoff.ToUnixTimeMilliseconds() * 1000 / bucketMicros * bucketMicros;
        var where = string.Create(CultureInfo.InvariantCulture, $"num IS NOT NULL AND epoch_us(ts) < {end}");
        return MaintainAsync(connection =>
        {
            var before = Convert.ToInt64(Scalar(connection, $"SELECT count(*) FROM history WHERE {where}"), CultureInfo.InvariantCulture);
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"""
                CREATE TEMP TABLE downsampled AS
                SELECT series, make_timestamp(epoch_us(ts) // {bucketMicros} * {bucketMicros}) AS ts, min(kind) AS kind, avg(num) AS num, max(seq) AS seq
                FROM history WHERE {where} GROUP BY series, epoch_us(ts) // {bucketMicros}
                """));
            Execute(connection, $"DELETE FROM archive WHERE {where}");
            Execute(connection, $"DELETE FROM points WHERE {where}");
            Execute(connection, "INSERT INTO archive SELECT series, ts, kind, num, NULL, NULL, seq FROM downsampled ORDER BY series, ts, seq");
            var after = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM downsampled"), CultureInfo.InvariantCulture);
            Execute(connection, "DROP TABLE downsampled");
            return before - after;
        }, ct);
    }

    /// <summary>
    /// Re-sorts all stored points (archive and recent) by series and time into the archive, so that each series is one contiguous run and a query for one twin
    /// reads only its own row groups. Runs beside appends; returns how many points were rewritten.
    /// </summary>
    public Task<long> CompactAsync(CancellationToken ct = default) =>
        MaintainAsync(connection =>
        {
            // Recent points come along; ones appended meanwhile are outside this transaction's snapshot and stay recent.
            Execute(connection, "CREATE TEMP TABLE sorted AS SELECT * FROM history ORDER BY series, ts, seq");
            Execute(connection, "DELETE FROM archive");
            Execute(connection, "DELETE FROM points");
            Execute(connection, "INSERT INTO archive SELECT * FROM sorted");
            var rows = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM sorted"), CultureInfo.InvariantCulture);
            Execute(connection, "DROP TABLE sorted");
            return rows;
        }, ct);

    /// <summary>
    /// On the writer thread: moves the recent points into the archive, sorted by series and time. Skipped while a
    /// maintenance operation runs (it rewrites the same tables); the points simply wait for the next group.
    /// </summary>
    private void CompactRecent()
    {
        if (!_maintenance.Wait(0))
        {
            return;
        }
        try
        {
            using var transaction = _connection.BeginTransaction();
            Execute(_connection, "INSERT INTO archive SELECT * FROM points ORDER BY series, ts, seq");
            Execute(_connection, "DELETE FROM points");
            transaction.Commit();
            _recentRows = 0;
        }
        catch (DuckDBException)
        {
            // Left in place: the points stay readable where they are, and the next group tries again.
        }
        finally
        {
            _maintenance.Release();
        }
    }

    /// <summary>Runs a rewrite of stored points in one transaction on its own connection, one at a time.</summary>
    private async Task<long> MaintainAsync(Func<DuckDBConnection, long> work, CancellationToken ct)
    {
        await _maintenance.WaitAsync(ct);
        try
        {
            return await Task.Run(() =>
            {
                using var connection = Reader();
                using var transaction = connection.BeginTransaction();
                var result = work(connection);
                transaction.Commit();
                return result;
            }, ct);
        }
        finally
        {
            _maintenance.Release();
        }
    }
}
