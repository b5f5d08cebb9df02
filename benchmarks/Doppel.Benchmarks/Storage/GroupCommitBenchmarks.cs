using BenchmarkDotNet.Attributes;
using Doppel.Storage;

namespace Doppel.Benchmarks.Storage;

/// <summary>
/// Durable twin writes with 64 concurrent writers, each awaiting its own one-twin batch, as the server does per request.
/// One operation is one durable twin write, so 1 / Mean is writes/s. Run:
/// <c>dotnet run -c Release --project benchmarks/Doppel.Benchmarks -- --filter *GroupCommit* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class GroupCommitBenchmarks
{
    private const int Writers = 64;
    private const int WritesPerWriter = 200;
    private const int DistinctTwins = 10_000;

    private string _folder = "";
    private SqliteTwinStore? _store;
    private string[] _ids = [];
    private string _json = "";

    [Params(SynchronousMode.Full, SynchronousMode.Normal)]
    public SynchronousMode Synchronous { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // A real disk folder (not tmpfs) so fsync costs what it costs; override with DOPPEL_BENCH_DATA.
        var root = Environment.GetEnvironmentVariable("DOPPEL_BENCH_DATA") ?? Path.GetTempPath();
        _folder = Directory.CreateDirectory(Path.Combine(root, $"doppel-bench-{Guid.NewGuid():N}")).FullName;
        _store = SqliteTwinStore.OpenAsync(new StorageOptions { DataDirectory = _folder, Synchronous = Synchronous }).GetAwaiter().GetResult();
        _ids = Enumerable.Range(0, DistinctTwins).Select(i => $"room-{i}").ToArray();

        // About the size of a small twin document.
        _json = """{"$dtId":"room-0","$etag":"W/\"5b7c2f4e-7f0a-4c69-9d1e-2f0a6c3b9e11\"","temperature":21.5,"humidity":40.2,"occupied":true,"$metadata":{"$model":"dtmi:com:example:Room;1","temperature":{"lastUpdateTime":"2025-03-01T12:30:15.1234567Z"},"humidity":{"lastUpdateTime":"2025-03-01T12:30:15.1234567Z"}}}""";
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Writers * WritesPerWriter)]
    public Task DurableTwinWrites()
    {
        var writers = new Task[Writers];
        for (var w = 0; w < Writers; w++)
        {
            writers[w] = WriteAsync(w);
        }

        return Task.WhenAll(writers);
    }

    /// <summary>One writer awaiting each write: nothing to merge, so this is the cost of one transaction (and its fsync).</summary>
    [Benchmark(OperationsPerInvoke = WritesPerWriter)]
    public Task OneWriterDurableTwinWrites() => WriteAsync(0);

    private async Task WriteAsync(int writer)
    {
        var store = _store!;
        for (var i = 0; i < WritesPerWriter; i++)
        {
            await store.CommitAsync(new StoreBatch().PutTwin(_ids[((writer * WritesPerWriter) + i) % DistinctTwins], _json));
        }
    }
}
