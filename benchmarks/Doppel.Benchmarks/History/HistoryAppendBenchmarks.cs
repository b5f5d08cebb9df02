using BenchmarkDotNet.Attributes;
using Doppel.History;
using Doppel.Storage;
using DuckDB.NET.Data;

namespace Doppel.Benchmarks.History;

/// <summary>
/// Durable history appends: 100,000 telemetry points (1,000 twins, one reading each per second) per operation, through
/// <see cref="DuckDbHistoryStore"/> in batches of 1,000 as concurrent callers, against the peer: DuckDB's own appender
/// writing the same rows to the same schema in one transaction, with no store around it. 1 / Mean × 100,000 is points/s. Run:
/// <c>dotnet run -c Release --project benchmarks/Doppel.Benchmarks -- --filter *HistoryAppend* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class HistoryAppendBenchmarks
{
    private const int Points = 100_000;
    private const int Batch = 1_000;

    private string _folder = "";
    private DuckDbHistoryStore? _store;
    private DuckDBConnection? _peer;
    private HistoryPoint[][] _batches = [];
    private readonly DateTimeOffset _start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [GlobalSetup]
    public void Setup()
    {
        var root = Environment.GetEnvironmentVariable("DOPPEL_BENCH_DATA") ?? Path.GetTempPath();
        _folder = Directory.CreateDirectory(Path.Combine(root, $"doppel-bench-{Guid.NewGuid():N}")).FullName;
        _store = DuckDbHistoryStore.Open(Path.Combine(_folder, "store"));
        Directory.CreateDirectory(Path.Combine(_folder, "peer"));
        _peer = new DuckDBConnection($"Data Source={Path.Combine(_folder, "peer", "peer.duckdb")}");
        _peer.Open();
        using var create = _peer.CreateCommand();
        create.CommandText = "CREATE TABLE points (twin_id VARCHAR NOT NULL, name VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, kind UTINYINT NOT NULL, num DOUBLE, json VARCHAR, message_id VARCHAR, seq BIGINT NOT NULL)";
        create.ExecuteNonQuery();
        var twins = Enumerable.Range(0, 1000).Select(i => $"machine-{i}").ToArray();
        _batches = Enumerable.Range(0, Points / Batch).Select(b => Enumerable.Range(0, Batch)
            .Select(i => new HistoryPoint(twins[i], "temperature", _start.AddSeconds(b), HistoryKind.Telemetry, 20 + (i % 17) * 0.25, null))
            .ToArray()).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _peer?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public void DuckDbAppenderPeer()
    {
        using var transaction = _peer!.BeginTransaction();
        using (var appender = _peer.CreateAppender("points"))
        {
            long seq = 0;
            foreach (var batch in _batches)
            {
                foreach (var p in batch)
                {
                    appender.CreateRow().AppendValue(p.TwinId).AppendValue(p.Name).AppendValue(p.Time.UtcDateTime).AppendValue((byte)p.Kind)
                        .AppendValue(p.Number).AppendNullValue().AppendNullValue().AppendValue(++seq).EndRow();
                }
            }
        }
        transaction.Commit();
    }

    [Benchmark]
    public Task DoppelHistoryStore() => Task.WhenAll(_batches.Select(b => _store!.AppendAsync(b)));
}
