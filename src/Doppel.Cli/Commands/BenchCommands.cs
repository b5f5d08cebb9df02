using System.CommandLine;
using System.Globalization;
using System.Text;
using Doppel.Cli.Bench;
using Doppel.Cli.Invocation;
using Doppel.Server;
using Doppel.Server.Audit;
using Doppel.Storage;

namespace Doppel.Cli.Commands;

/// <summary>End-to-end load runs that print Doppel's figures beside a peer measured in the same run.</summary>
internal static class BenchCommands
{
    private const string Model = """
        [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:doppel:bench:Machine;1","@type":"Interface",
          "contents":[{"@type":"Property","name":"speed","schema":"double","writable":true},
                      {"@type":"Property","name":"state","schema":"string","writable":true},
                      {"@type":"Property","name":"count","schema":"long","writable":true}]}]
        """;

    public static Command Create() => new("bench", "Measure Doppel end to end on this machine.") { Twins(), BenchQueryCommand.Create(), BenchIngestCommand.Create(), BenchDesCommand.Create(), BenchDtdlCommand.Create(), BenchFuzzCommand.Create(), BenchRulCommand.Create(), BenchNabCommand.Create(), BenchEstimationCommand.Create() };

    private static Command Twins()
    {
        var twins = new Option<int>("--twins") { Description = "Twins to create before the load.", DefaultValueFactory = _ => 10_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent HTTP clients (keep-alive).", DefaultValueFactory = _ => 64 };
        var duration = new Option<double>("--seconds") { Description = "Measured seconds per run.", DefaultValueFactory = _ => 10 };
        var warmup = new Option<double>("--warmup") { Description = "Warm-up seconds per run, not measured.", DefaultValueFactory = _ => 3 };
        var runs = new Option<int>("--runs") { Description = "Runs of each workload; medians are reported.", DefaultValueFactory = _ => 3 };
        var memory = new Option<int>("--memory-twins") { Description = "Twins to create for the memory figure (0 to skip).", DefaultValueFactory = _ => 100_000 };
        var server = ClientOptions.OptionalServer("Load a running server (e.g. http://127.0.0.1:5080, on a fresh data folder) instead of an embedded one; skips the memory figure.");
        var synchronous = new Option<SynchronousMode>("--synchronous") { Description = "The server's durability: full (fsync, survives power loss) or normal (survives a process crash).", DefaultValueFactory = _ => SynchronousMode.Full };
        var command = new Command("twins", "Twin GET and durable PATCH over HTTP on loopback against an embedded server, beside a bare endpoint of the same server, and memory per twin.")
        {
            twins, concurrency, duration, warmup, runs, memory, synchronous, server,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new Settings(parse.GetValue(twins), parse.GetValue(concurrency), TimeSpan.FromSeconds(parse.GetValue(duration)), TimeSpan.FromSeconds(parse.GetValue(warmup)), parse.GetValue(runs), parse.GetValue(synchronous), null);
            if (parse.GetValue(server) is { } url)
            {
                settings = settings with { Server = DoppelClient.ParseAddress(url).Value };
            }
            if (settings.Twins < 1 || settings.Concurrency < 1 || settings.Runs < 1 || settings.Duration <= TimeSpan.Zero)
            {
                throw CommandFailure.Usage("--twins, --concurrency, --runs and --seconds must be positive.");
            }
            await RunTwinsAsync(settings, parse.GetValue(memory), ct);
            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed record Settings(int Twins, int Concurrency, TimeSpan Duration, TimeSpan Warmup, int Runs, SynchronousMode Synchronous, Uri? Server);

    private static async Task RunTwinsAsync(Settings settings, int memoryTwins, CancellationToken ct)
    {
        if (settings.Server is not null)
        {
            await RunLoadAsync(settings.Server, settings, null, ct);
            return;
        }

        var data = Path.Combine(Path.GetTempPath(), "doppel-bench-" + Guid.NewGuid().ToString("N"));
        await using (var server = await StartAsync(data, settings.Synchronous, ct))
        {
            await RunLoadAsync(server.HttpAddress!, settings, server.Services.GetRequiredService<AuditLog>(), ct);
        }

        if (memoryTwins > 0)
        {
            await MeasureMemoryAsync(data, settings.Twins, memoryTwins, ct);
        }
        Directory.Delete(data, recursive: true);
    }

    /// <summary>The workloads; with <paramref name="audit"/> (an embedded server) PATCH runs again with the audit log off, to measure its cost.</summary>
    private static async Task RunLoadAsync(Uri address, Settings settings, AuditLog? audit, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = address };
        await SendAsync(http, HttpMethod.Post, "/models", Model, ct);
        Console.WriteLine($"Creating {settings.Twins:N0} twins...");
        await CreateTwinsAsync(http, 0, settings.Twins, ct);

        var durability = settings.Server is null ? $"synchronous={settings.Synchronous}" : $"server {address}";
        Console.WriteLine($"{Environment.ProcessorCount} cores, {settings.Concurrency} clients, {settings.Runs} runs x {settings.Duration.TotalSeconds:0}s (+{settings.Warmup.TotalSeconds:0}s warm-up); {durability}; medians:");
        var options = new HttpLoadOptions(address, settings.Concurrency, settings.Duration, settings.Warmup);
        var (ownerKey, policyKey) = await AccessSubjectsAsync(http, ct);
        // Runs interleave the workloads, so a neighbour's burst on a shared machine hits the peer and ours alike.
        var peerRuns = new List<HttpLoadResult>();
        var getRuns = new List<HttpLoadResult>();
        var patchRuns = new List<HttpLoadResult>();
        var keyRuns = (Get: new List<HttpLoadResult>(), Patch: new List<HttpLoadResult>());
        var policyRuns = (Get: new List<HttpLoadResult>(), Patch: new List<HttpLoadResult>());
        var unauditedRuns = new List<HttpLoadResult>();
        for (var run = 0; run < settings.Runs; run++)
        {
            peerRuns.Add(await HttpLoad.RunAsync(options, (_, _) => new HttpRequestMessage(HttpMethod.Get, "/health"), ct));
            getRuns.Add(await HttpLoad.RunAsync(options, (worker, i) => Get(settings, worker, i, null), ct));
            patchRuns.Add(await HttpLoad.RunAsync(options, (worker, i) => Patch(settings, worker, i, null), ct));
            if (audit is not null)
            {
                audit.Enabled = false;
                unauditedRuns.Add(await HttpLoad.RunAsync(options, (worker, i) => Patch(settings, worker, i, null), ct));
                audit.Enabled = true;
            }
            if (ownerKey is not null && policyKey is not null)
            {
                keyRuns.Get.Add(await HttpLoad.RunAsync(options, (worker, i) => Get(settings, worker, i, ownerKey), ct));
                keyRuns.Patch.Add(await HttpLoad.RunAsync(options, (worker, i) => Patch(settings, worker, i, ownerKey), ct));
                policyRuns.Get.Add(await HttpLoad.RunAsync(options, (worker, i) => Get(settings, worker, i, policyKey), ct));
                policyRuns.Patch.Add(await HttpLoad.RunAsync(options, (worker, i) => Patch(settings, worker, i, policyKey), ct));
            }
        }
        var (peer, get, patch) = (Median(peerRuns), Median(getRuns), Median(patchRuns));

        Console.WriteLine($"  {"workload",-34} {"req/s",10} {"p50 ms",8} {"p99 ms",8} {"errors",7}");
        Print("peer: GET /health (bare endpoint)", peer);
        Print("twin GET", get);
        Print(settings.Server is not null ? "twin PATCH" : settings.Synchronous == SynchronousMode.Full ? "twin PATCH (fsync'd per commit)" : "twin PATCH (process-crash safe)", patch);
        if (unauditedRuns.Count > 0)
        {
            var unaudited = Median(unauditedRuns);
            Print("twin PATCH, audit log off", unaudited);
            Console.WriteLine($"  twin PATCH with the audit log = {patch.RequestsPerSecond / unaudited.RequestsPerSecond:P1} of the rate without it");
        }
        Console.WriteLine($"  twin GET = {get.RequestsPerSecond / peer.RequestsPerSecond:P0} of the bare endpoint; PATCH = {patch.RequestsPerSecond / peer.RequestsPerSecond:P0}");
        if (keyRuns.Get.Count == 0)
        {
            Console.WriteLine("  access control not measured: the server refused to create the bench's API keys (run it against a server that allows anonymous access)");
            return;
        }
        var (keyGet, keyPatch, policyGet, policyPatch) = (Median(keyRuns.Get), Median(keyRuns.Patch), Median(policyRuns.Get), Median(policyRuns.Patch));
        Print("twin GET, owner API key", keyGet);
        Print("twin PATCH, owner API key", keyPatch);
        Print("twin GET, key narrowed by policies", policyGet);
        Print("twin PATCH, key narrowed by policies", policyPatch);
        Console.WriteLine($"  authorisation: with policies, twin GET = {policyGet.RequestsPerSecond / keyGet.RequestsPerSecond:P0} and PATCH = {policyPatch.RequestsPerSecond / keyPatch.RequestsPerSecond:P0} of the same key's rate without; "
            + $"the key itself (authentication) costs GET {1 - keyGet.RequestsPerSecond / get.RequestsPerSecond:P0}, PATCH {1 - keyPatch.RequestsPerSecond / patch.RequestsPerSecond:P0} against anonymous");
    }

    private static HttpRequestMessage Get(Settings settings, int worker, long i, string? key) =>
        Authorized(new HttpRequestMessage(HttpMethod.Get, $"/digitaltwins/m{Mix(worker, i) % settings.Twins}?api-version=2023-10-31"), key);

    private static HttpRequestMessage Patch(Settings settings, int worker, long i, string? key) =>
        Authorized(new HttpRequestMessage(HttpMethod.Patch, $"/digitaltwins/m{Mix(worker, i) % settings.Twins}?api-version=2023-10-31")
        {
            Content = new StringContent($$"""[{"op":"replace","path":"/speed","value":{{i % 1000}}.5},{"op":"replace","path":"/count","value":{{i}}}]""", Encoding.UTF8, "application/json-patch+json"),
        }, key);

    private static HttpRequestMessage Authorized(HttpRequestMessage request, string? key)
    {
        if (key is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }
        return request;
    }

    /// <summary>
    /// Two API keys for the access-control figures: an owner's (authentication alone) and a device-like key whose every
    /// right comes from a policy that selects twins by a query condition and grants single properties, so each request
    /// evaluates it. Null when the server does not let the bench create them.
    /// </summary>
    private static async Task<(string? Owner, string? Narrowed)> AccessSubjectsAsync(HttpClient http, CancellationToken ct)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var owner = await CreateKeyAsync(http, "bench-owner-" + suffix, "owner", ct);
        var narrowed = await CreateKeyAsync(http, "bench-device-" + suffix, "none", ct);
        if (owner is null || narrowed is null)
        {
            return (null, null);
        }
        await SendAsync(http, HttpMethod.Put, $"/doppel/auth/policies/bench-{suffix}", $$"""
            {"subjects":["key:bench-device-{{suffix}}"],"entries":[
              {"resource":"twins","twins":{"idPrefix":"m","where":"IS_OF_MODEL('dtmi:doppel:bench:Machine;1') AND state = 'running'"},"grant":["read"]},
              {"resource":"properties","twins":{"where":"IS_OF_MODEL('dtmi:doppel:bench:Machine;1')"},"properties":["speed","count"],"grant":["write"]},
              {"resource":"properties","properties":["secret"],"revoke":["read"]}]}
            """, ct);
        return (owner, narrowed);
    }

    private static async Task<string?> CreateKeyAsync(HttpClient http, string name, string role, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/doppel/auth/keys?api-version=2023-10-31")
        {
            Content = new StringContent($$"""{"name":"{{name}}","role":"{{role}}"}""", Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, ct);
        return response.IsSuccessStatusCode
            ? (string?)System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))?["key"]
            : null;
    }

    private static Task<DoppelServer> StartAsync(string data, SynchronousMode synchronous, CancellationToken ct) =>
        DoppelServer.StartAsync(new DoppelServerOptions { DataDirectory = data, Urls = "http://127.0.0.1:0", Synchronous = synchronous, MqttPort = null }, logging => { }, ct: ct);

    /// <summary>
    /// Heap per twin twice: right after creating them (each created twin's grain still active) and after a restart,
    /// which loads twins from SQLite without activating grains (the state of a server whose idle grains were collected).
    /// Both are measured against the same restarted server before the extra twins, so warm-up allocations cancel out.
    /// </summary>
    private static async Task MeasureMemoryAsync(string data, int existingTwins, int memoryTwins, CancellationToken ct)
    {
        long baseline, active;
        await using (var server = await StartAsync(data, SynchronousMode.Full, ct))
        {
            using var http = new HttpClient { BaseAddress = server.HttpAddress };
            baseline = ManagedBytes();
            Console.WriteLine($"Creating {memoryTwins:N0} more twins for the memory figure...");
            await CreateTwinsAsync(http, existingTwins, memoryTwins, ct);
            active = ManagedBytes();
        }

        long restarted, diskBytes;
        int count;
        await using (var server = await StartAsync(data, SynchronousMode.Full, ct))
        {
            restarted = ManagedBytes();
            diskBytes = new FileInfo(server.Runtime.Store.DatabasePath).Length;
            count = server.Runtime.Graph.TwinCount;
        }

        PrintMemory("memory, grains active", (active - baseline) / (double)memoryTwins);
        PrintMemory("memory, after restart (no grains)", (restarted - baseline) / (double)memoryTwins);
        Console.WriteLine($"  store {diskBytes / 1024.0 / 1024:N1} MiB on disk for {count:N0} twins");
    }

    private static void PrintMemory(string name, double perTwin) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-34} {perTwin,10:N0} bytes of managed heap per twin ({perTwin * 100_000 / 1024 / 1024:N1} MiB per 100,000 twins)"));

    private static async Task CreateTwinsAsync(HttpClient http, int first, int count, CancellationToken ct)
    {
        var next = first - 1;
        var end = first + count;
        var workers = Enumerable.Range(0, 32).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < end)
            {
                await SendAsync(http, HttpMethod.Put, $"/digitaltwins/m{i}", $$"""{"$metadata":{"$model":"dtmi:doppel:bench:Machine;1"},"speed":1.5,"state":"running","count":{{i}}}""", ct);
            }
        });
        await Task.WhenAll(workers);
    }

    /// <summary>Spreads requests over twins without a shared random generator on the hot path.</summary>
    private static long Mix(int worker, long iteration) => (long)((ulong)(iteration * 7919 + worker * 104729) & long.MaxValue);

    private static long ManagedBytes()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static HttpLoadResult Median(List<HttpLoadResult> runs) => runs.OrderBy(r => r.RequestsPerSecond).ElementAt(runs.Count / 2);

    private static void Print(string name, HttpLoadResult result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-34} {result.RequestsPerSecond,10:N0} {result.P50.TotalMilliseconds,8:0.00} {result.P99.TotalMilliseconds,8:0.00} {result.Errors,7}"));

    private static async Task SendAsync(HttpClient http, HttpMethod method, string path, string body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path + (path.Contains('?') ? "&" : "?") + "api-version=2023-10-31")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} -> {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
    }
}
