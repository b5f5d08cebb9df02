using System.Globalization;
using BenchmarkDotNet.Attributes;
using Doppel.History;
using Doppel.Storage;
using DuckDB.NET.Data;

namespace Doppel.Benchmarks.History;

/// <summary>
/// Where nine twins stood in the middle of a week of <see cref="Points"/> points (1,000 twins, one series each, evenly
/// over the week): what a scenario forked at a past time reads for a line's buffers and stations. The store's
/// <see cref="DuckDbHistoryStore.LatestAtAsync"/> against the way it was done before it existed, paging through each
/// series' whole history up to then and keeping the last point.
/// Run: <c>dotnet run -c Release --project benchmarks/Doppel.Benchmarks -- --filter *HistoryLatestAt* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class HistoryLatestAtBenchmarks
{
    private const int Twins = 1_000;
    private static readonly DateTimeOffset At = new(2026, 1, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Line = [.. Enumerable.Range(500, 9).Select(i => $"machine-{i:D4}")];

    private string _folder = "";
    private DuckDbHistoryStore? _store;

    [Params(10_000_000)]
    public long Points { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var root = Environment.GetEnvironmentVariable("DOPPEL_BENCH_DATA") ?? Path.GetTempPath();
        _folder = Directory.CreateDirectory(Path.Combine(root, $"doppel-bench-{Guid.NewGuid():N}")).FullName;
        var stepMicros = 7L * 24 * 3600 * 1_000_000 / (Points / Twins);
        DuckDbHistoryStore.Open(_folder).DisposeAsync().AsTask().GetAwaiter().GetResult();
        using (var connection = new DuckDBConnection($"Data Source={Path.Combine(_folder, DuckDbHistoryStore.FileName)}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandTimeout = 0;
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"""
                INSERT INTO series SELECT (i + 1)::INTEGER, 'machine-' || lpad(i::VARCHAR, 4, '0'), 'level' FROM range({Twins}) t(i);
                INSERT INTO archive SELECT (i % {Twins})::INTEGER + 1, TIMESTAMP '2026-01-01' + to_microseconds((i // {Twins}) * {stepMicros}), 1::UTINYINT,
                    (i % 5)::DOUBLE, NULL, NULL, i + 1 FROM range({Points}) t(i);
                """);
            command.ExecuteNonQuery();
        }
        _store = DuckDbHistoryStore.Open(_folder);
        _store.CompactAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public async Task<int> PageThroughEachSeries()
    {
        var found = 0;
        foreach (var twin in Line)
        {
            HistoryPoint? last = null;
            HistoryCursor? after = null;
            do
            {
                var page = await _store!.ReadAsync(new HistoryRead([twin], ["level"], DateTimeOffset.UnixEpoch, At.AddTicks(10), 10_000, after));
                if (page.Points.Count > 0)
                {
                    last = page.Points[^1];
                }
                after = page.Next;
            }
            while (after is not null);
            found += last is null ? 0 : 1;
        }
        return found;
    }

    [Benchmark]
    public async Task<int> LatestAt() => (await _store!.LatestAtAsync(Line, ["level"], At)).Count;
}
