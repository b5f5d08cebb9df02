using System.Globalization;
using BenchmarkDotNet.Attributes;
using Doppel.History;
using Doppel.Storage;
using DuckDB.NET.Data;

namespace Doppel.Benchmarks.History;

/// <summary>
/// Hourly averages of one twin over a week from a store of <see cref="Points"/> points (1,000 twins, one temperature
/// each, evenly over that week, interleaved as devices send them): through <see cref="DuckDbHistoryStore.AggregateAsync"/>
/// after a full compaction, and as the writer leaves it (runs of 1,000,000 points sorted by series); against the peer,
/// the same query on one plain DuckDB table keyed by twin id in arrival order. Setup writes the rows with SQL (minutes
/// at 100M). Run: <c>dotnet run -c Release --project benchmarks/Doppel.Benchmarks -- --filter *HistoryQuery* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class HistoryQueryBenchmarks
{
    private const int Twins = 1_000;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private string _folder = "";
    private DuckDbHistoryStore? _compacted;
    private DuckDbHistoryStore? _runs;
    private DuckDBConnection? _peer;

    [Params(100_000_000)]
    public long Points { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var root = Environment.GetEnvironmentVariable("DOPPEL_BENCH_DATA") ?? Path.GetTempPath();
        _folder = Directory.CreateDirectory(Path.Combine(root, $"doppel-bench-{Guid.NewGuid():N}")).FullName;
        var stepMicros = 7L * 24 * 3600 * 1_000_000 / (Points / Twins);
        // Point i: twin i % 1000, at time (i / 1000) * step: every twin reports once per step, in turn.
        var rows = string.Create(CultureInfo.InvariantCulture,
            $"(i % {Twins})::INTEGER + 1 AS series, TIMESTAMP '2026-01-01' + to_microseconds((i // {Twins}) * {stepMicros}) AS ts, 0::UTINYINT AS kind, 20 + (i % 17) * 0.25 AS num, NULL::VARCHAR AS json, NULL::VARCHAR AS message_id, i + 1 AS seq");
        _compacted = Create("compacted", $"INSERT INTO archive SELECT {rows} FROM range({Points}) t(i)");
        _compacted.CompactAsync().GetAwaiter().GetResult();
        _runs = Create("runs", string.Join(";\n", Enumerable.Range(0, (int)(Points / 1_000_000)).Select(k =>
            string.Create(CultureInfo.InvariantCulture, $"INSERT INTO archive SELECT * FROM (SELECT {rows} FROM range({k * 1_000_000L}, {(k + 1) * 1_000_000L}) t(i)) ORDER BY series, ts, seq"))));
        Directory.CreateDirectory(Path.Combine(_folder, "peer"));
        _peer = new DuckDBConnection($"Data Source={Path.Combine(_folder, "peer", "peer.duckdb")}");
        _peer.Open();
        Execute(_peer, string.Create(CultureInfo.InvariantCulture,
            $"CREATE TABLE points AS SELECT 'machine-' || lpad((i % {Twins})::VARCHAR, 4, '0') AS twin_id, 'temperature' AS name, TIMESTAMP '2026-01-01' + to_microseconds((i // {Twins}) * {stepMicros}) AS ts, 20 + (i % 17) * 0.25 AS num, i + 1 AS seq FROM range({Points}) t(i)"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _compacted?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _runs?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _peer?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public int PlainTablePeer()
    {
        using var command = _peer!.CreateCommand();
        command.CommandText = """
            SELECT epoch_us(ts) // 3600000000 AS bucket, avg(num) FROM points
            WHERE twin_id = 'machine-0500' AND name = 'temperature' AND ts >= TIMESTAMP '2026-01-01' AND ts < TIMESTAMP '2026-01-08'
            GROUP BY bucket ORDER BY bucket
            """;
        using var reader = command.ExecuteReader();
        var buckets = 0;
        while (reader.Read())
        {
            buckets++;
        }
        return buckets;
    }

    [Benchmark]
    public Task<IReadOnlyList<HistoryBucket>> DoppelCompacted() => Query(_compacted!);

    [Benchmark]
    public Task<IReadOnlyList<HistoryBucket>> DoppelWriterRuns() => Query(_runs!);

    private static Task<IReadOnlyList<HistoryBucket>> Query(DuckDbHistoryStore store) =>
        store.AggregateAsync(new HistoryAggregation(["machine-0500"], ["temperature"], Start, Start.AddDays(7), TimeSpan.FromHours(1), [HistoryAggregate.Avg]));

    private DuckDbHistoryStore Create(string name, string insert)
    {
        var folder = Path.Combine(_folder, name);
        // Create the schema, then fill it directly: series 1..1000 are machine-0000..machine-0999.
        DuckDbHistoryStore.Open(folder).DisposeAsync().AsTask().GetAwaiter().GetResult();
        using (var connection = new DuckDBConnection($"Data Source={Path.Combine(folder, DuckDbHistoryStore.FileName)}"))
        {
            connection.Open();
            Execute(connection, $"INSERT INTO series SELECT (i + 1)::INTEGER, 'machine-' || lpad(i::VARCHAR, 4, '0'), 'temperature' FROM range({Twins}) t(i)");
            Execute(connection, insert);
        }
        return DuckDbHistoryStore.Open(folder);
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }
}
