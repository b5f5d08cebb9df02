using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.Cli.Bench;
using Doppel.Cli.Generate;
using Doppel.Cli.Invocation;
using Doppel.Server;

namespace Doppel.Cli.Commands;

/// <summary>doppel bench query: import a REC graph through an import job, then time four query shapes over HTTP.</summary>
internal static class BenchQueryCommand
{
    private const string Room = "dtmi:digitaltwins:rec_3_3:core:Room;1";
    private const string Equipment = "dtmi:digitaltwins:rec_3_3:asset:Equipment;1";
    private const string Space = "dtmi:digitaltwins:rec_3_3:core:Space;1";

    public static Command Create()
    {
        var twins = new Option<int>("--twins") { Description = "Twins in the generated REC graph.", DefaultValueFactory = _ => 1_000_000 };
        var server = ClientOptions.OptionalServer("Import into and query a running server (on this machine) instead of an embedded one; skips the memory figure.");
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent HTTP clients for the throughput run.", DefaultValueFactory = _ => 32 };
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds of the throughput run.", DefaultValueFactory = _ => 10 };
        var runs = new Option<int>("--runs") { Description = "Sequential timed runs per query (after 20 warm-up runs).", DefaultValueFactory = _ => 200 };
        var file = new Option<string?>("--file") { Description = "Import this file (reused if it exists, else generated there) instead of a temporary one." };
        var seed = new Option<int>("--seed") { Description = "Generator seed.", DefaultValueFactory = _ => 1 };
        var command = new Command("query", "Import a RealEstateCore graph with an import job, then measure query latency (p50/p99) and throughput beside the bare /health endpoint.")
        {
            twins, server, concurrency, seconds, runs, file, seed,
        };
        command.SetAction(async (parse, ct) =>
        {
            var address = parse.GetValue(server) is { } url ? DoppelClient.ParseAddress(url).Value : null;
            if (parse.GetValue(twins) < 1 || parse.GetValue(concurrency) < 1 || parse.GetValue(runs) < 1 || parse.GetValue(seconds) <= 0)
            {
                throw CommandFailure.Usage("--twins, --concurrency, --runs and --seconds must be positive.");
            }
            var settings = new Settings(parse.GetValue(twins), parse.GetValue(concurrency), TimeSpan.FromSeconds(parse.GetValue(seconds)), parse.GetValue(runs), parse.GetValue(seed));
            return await RunAsync(settings, address, parse.GetValue(file), ct);
        });
        return command;
    }

    private sealed record Settings(int Twins, int Concurrency, TimeSpan Duration, int Runs, int Seed);

    private static async Task<int> RunAsync(Settings settings, Uri? address, string? file, CancellationToken ct)
    {
        if (address is not null)
        {
            // Before minutes of generating a graph: is anything there?
            using var probe = new DoppelClient(address.ToString());
            await probe.SendAsync(HttpMethod.Get, "health", ct: ct);
        }
        var temp = Path.Combine(Path.GetTempPath(), "doppel-bench-query-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
        try
        {
            var input = Path.GetFullPath(file ?? Path.Combine(temp, "rec.ndjson"));
            if (!File.Exists(input))
            {
                var folder = GenerateCommands.DefaultModelsFolder();
                var generator = folder is null ? Result<RecGraphGenerator>.Fail("ModelNotFound", "No RealEstateCore models folder found.") : RecGraphGenerator.Load(folder);
                if (!generator.IsSuccess)
                {
                    return DoppelClient.Fail(generator.Error!);
                }
                var watch = Stopwatch.StartNew();
                using (var stream = new BufferedStream(File.Create(input), 1 << 16))
                {
                    var (count, relationships) = generator.Value!.Write(stream, settings.Twins, settings.Seed);
                    Console.WriteLine($"Generated {count:N0} twins and {relationships:N0} relationships in {watch.Elapsed.TotalSeconds:0.0}s: {input}");
                }
            }

            if (address is not null)
            {
                return await ImportAndQueryAsync(address, input, Path.Combine(temp, "import.log.ndjson"), settings, memory: null, ct);
            }
            await using var embedded = await DoppelServer.StartAsync(
                new DoppelServerOptions { DataDirectory = Path.Combine(temp, "data"), Urls = "http://127.0.0.1:0", MqttPort = null }, logging => { }, ct: ct);
            var before = ManagedBytes();
            return await ImportAndQueryAsync(embedded.HttpAddress!, input, Path.Combine(temp, "import.log.ndjson"), settings, () => ManagedBytes() - before, ct);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private static async Task<int> ImportAndQueryAsync(Uri address, string input, string log, Settings settings, Func<long>? memory, CancellationToken ct)
    {
        using (var client = new DoppelClient(address.ToString()))
        {
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var gcBefore = GcCounters.Now();
            var imported = await ImportCommand.RunAsync(client, "bench-" + Guid.NewGuid().ToString("N")[..8], input, log, showProgress: false, announce: false, ct);
            var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
            var gc = GcCounters.Now() - gcBefore;
            if (imported.Error is { } error)
            {
                return DoppelClient.Fail(error);
            }
            var job = imported.Job!;
            var sections = SectionSeconds(log);
            var twins = (long)job["twinsImported"]!;
            var relationships = (long)job["relationshipsImported"]!;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Import job {job["status"]} in {imported.Elapsed.TotalSeconds:0.0}s, {(long)job["errors"]!:N0} errors; {Environment.ProcessorCount} cores, synchronous=full"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  twins          {twins,12:N0} in {sections.GetValueOrDefault("Twins"),6:0.00}s = {twins / Math.Max(sections.GetValueOrDefault("Twins"), 1e-3),10:N0}/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  relationships  {relationships,12:N0} in {sections.GetValueOrDefault("Relationships"),6:0.00}s = {relationships / Math.Max(sections.GetValueOrDefault("Relationships"), 1e-3),10:N0}/s"));
            if ((string?)job["status"] != "succeeded")
            {
                return ExitCodes.Failed;
            }
            if (memory is not null)
            {
                // Process CPU time, which a busy machine does not inflate the way it does the wall-clock rates above.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  cpu            {cpu.TotalSeconds,12:0.00}s for the import job ({cpu.TotalMicroseconds / Math.Max(twins + relationships, 1):0.0} µs per twin or relationship)"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  gc             {gc.Pause.TotalSeconds,12:0.00}s paused in {gc.Gen0:N0} gen0, {gc.Gen1:N0} gen1, {gc.Gen2:N0} gen2 collections; {gc.Allocated / Math.Max(twins + relationships, 1):N0} bytes allocated per item"));
                var bytes = memory();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  memory         {bytes / 1024.0 / 1024:N0} MiB managed heap for the loaded graph ({bytes / (double)Math.Max(twins + relationships, 1):N0} bytes per twin or relationship)"));
            }
        }

        var queries = new (string Name, string Text)[]
        {
            // Equipment (a model with many subtypes) by serial number: about 1 in 9,000 matches.
            ("(a) equipment by serial number", $"SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '{Equipment}') AND T.serialNumber = 'SN-4242'"),
            ("(b) 3-hop MATCH from b0", "SELECT x FROM DIGITALTWINS MATCH (b)-[:hasPart]->(l)-[:hasPart]->(r)-[:isLocationOf]->(x) WHERE b.$dtId = 'b0'"),
            ("(c) COUNT IS_OF_MODEL(Space)", $"SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('{Space}')"),
            ("(d) TOP(100) ORDER BY DESC", $"SELECT TOP(100) T FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '{Room}') ORDER BY T.personCapacity DESC"),
        };
        using var http = new HttpClient { BaseAddress = address };
        Console.WriteLine($"Queries over HTTP, sequential, {settings.Runs} runs each after 20 warm-up runs (first page):");
        Console.WriteLine($"  {"query",-32} {"rows",8} {"p50 ms",9} {"p99 ms",9}");
        var aWorks = false;
        foreach (var (name, text) in queries)
        {
            var probe = await PostQueryAsync(http, text, ct);
            if (probe.Status != 200)
            {
                var error = probe.Body?["error"];
                Console.WriteLine($"  {name,-32} not run: {probe.Status} {(string?)error?["code"]}: {(string?)error?["message"]}");
                continue;
            }
            aWorks |= name.StartsWith("(a)", StringComparison.Ordinal);
            for (var i = 0; i < 20; i++)
            {
                await PostQueryAsync(http, text, ct);
            }
            var latencies = new double[settings.Runs];
            for (var i = 0; i < settings.Runs; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await PostQueryAsync(http, text, ct);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            Array.Sort(latencies);
            var rows = probe.Body!["value"]!.AsArray();
            var shown = rows.Count == 1 && rows[0]?["COUNT"] is { } count ? $"={count}" : rows.Count.ToString(CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-32} {shown,8} {latencies[latencies.Length / 2],9:0.00} {latencies[Math.Min(latencies.Length - 1, (int)(latencies.Length * 0.99))],9:0.00}"));
        }

        var options = new HttpLoadOptions(address, settings.Concurrency, settings.Duration, TimeSpan.FromSeconds(2));
        Console.WriteLine($"Throughput, {settings.Concurrency} clients, {settings.Duration.TotalSeconds:0}s:");
        Console.WriteLine($"  {"workload",-32} {"req/s",10} {"p50 ms",8} {"p99 ms",8} {"errors",7}");
        var peer = await HttpLoad.RunAsync(options, (_, _) => new HttpRequestMessage(HttpMethod.Get, "/health"), ct);
        Print("peer: GET /health", peer);
        if (aWorks)
        {
            var a = await HttpLoad.RunAsync(options, (_, _) => QueryRequest(queries[0].Text), ct);
            Print("(a) equipment by serial number", a);
        }
        return ExitCodes.Ok;
    }

    private static HttpRequestMessage QueryRequest(string text) =>
        new(HttpMethod.Post, "/query?api-version=2023-10-31")
        {
            Content = new StringContent(new JsonObject { ["query"] = text }.ToJsonString(), Encoding.UTF8, "application/json"),
        };

    private static async Task<(int Status, JsonNode? Body)> PostQueryAsync(HttpClient http, string text, CancellationToken ct)
    {
        using var response = await http.SendAsync(QueryRequest(text), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        return ((int)response.StatusCode, body.Length > 0 ? JsonNode.Parse(body) : null);
    }

    /// <summary>Seconds from each section's Started to its Succeeded line in the job's output log.</summary>
    private static Dictionary<string, double> SectionSeconds(string log)
    {
        var started = new Dictionary<string, DateTimeOffset>();
        var seconds = new Dictionary<string, double>();
        foreach (var line in File.ReadLines(log))
        {
            if (JsonNode.Parse(line) is not JsonObject entry || (string?)entry["logType"] != "Info" || entry["details"]?["section"] is not JsonValue section)
            {
                continue;
            }
            var at = DateTimeOffset.Parse((string)entry["timestamp"]!, CultureInfo.InvariantCulture);
            var name = (string)section!;
            if ((string?)entry["details"]!["status"] == "Started")
            {
                started[name] = at;
            }
            else if (started.TryGetValue(name, out var from))
            {
                seconds[name] = (at - from).TotalSeconds;
            }
        }
        return seconds;
    }

    private static long ManagedBytes()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static void Print(string name, HttpLoadResult result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-32} {result.RequestsPerSecond,10:N0} {result.P50.TotalMilliseconds,8:0.00} {result.P99.TotalMilliseconds,8:0.00} {result.Errors,7}"));

    /// <summary>The process's GC counters, to say how much of an import's CPU went to collections.</summary>
    private readonly record struct GcCounters(TimeSpan Pause, int Gen0, int Gen1, int Gen2, long Allocated)
    {
        public static GcCounters Now() => new(GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes());

        public static GcCounters operator -(GcCounters a, GcCounters b) =>
            new(a.Pause - b.Pause, a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.Allocated - b.Allocated);
    }
}
