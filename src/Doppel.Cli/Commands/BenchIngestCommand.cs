using System.CommandLine;
using System.Globalization;
using System.Text;
using Doppel.Cli.Bench;
using Doppel.Cli.Invocation;
using Doppel.Events;
using Doppel.Server;
using MQTTnet;
using MQTTnet.Protocol;

namespace Doppel.Cli.Commands;

/// <summary>
/// doppel bench ingest: MQTT telemetry into an embedded Doppel (durable in history and visible in live state before the
/// PUBACK), beside Mosquitto passing the same messages through to a subscriber, then Doppel again at half the rate.
/// </summary>
internal static class BenchIngestCommand
{
    private const string ModelId = "dtmi:doppel:bench:Sensor;1";
    private const string TwinPrefix = "s";
    private const int Signals = 3;

    private const string Model = """
        [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:doppel:bench:Sensor;1","@type":"Interface",
          "contents":[{"@type":"Telemetry","name":"temperature","schema":"double"},
                      {"@type":"Telemetry","name":"pressure","schema":"double"},
                      {"@type":"Telemetry","name":"vibration","schema":"double"},
                      {"@type":"Property","name":"location","schema":"string","writable":true}]}]
        """;

    public static Command Create()
    {
        var twins = new Option<int>("--twins") { Description = "Twins the messages are spread over.", DefaultValueFactory = _ => 1_000 };
        var clients = new Option<int>("--clients") { Description = "MQTT publisher connections.", DefaultValueFactory = _ => 64 };
        var inflight = new Option<int>("--inflight") { Description = "Unacknowledged publishes per connection.", DefaultValueFactory = _ => 32 };
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per run.", DefaultValueFactory = _ => 10 };
        var warmup = new Option<double>("--warmup") { Description = "Warm-up seconds per run, not measured.", DefaultValueFactory = _ => 3 };
        var runs = new Option<int>("--runs") { Description = "Runs of each workload; medians are reported.", DefaultValueFactory = _ => 3 };
        var qos = new Option<int>("--qos") { Description = "Publish QoS: 1 (acknowledged once durable) or 0.", DefaultValueFactory = _ => 1 };
        var command = new Command("ingest", "MQTT telemetry ingest (durable, then visible to a live subscriber) against an embedded server, beside Mosquitto passing the same load through, and latency at half the sustained rate.")
        {
            twins, clients, inflight, seconds, warmup, runs, qos,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new Settings(parse.GetValue(twins), parse.GetValue(clients), parse.GetValue(inflight),
                TimeSpan.FromSeconds(parse.GetValue(seconds)), TimeSpan.FromSeconds(parse.GetValue(warmup)), parse.GetValue(runs),
                (MqttQualityOfServiceLevel)parse.GetValue(qos));
            if (settings.Twins < 1 || settings.Clients < 1 || settings.InFlight < 1 || settings.Runs < 1 || settings.Duration <= TimeSpan.Zero || settings.Warmup < TimeSpan.Zero)
            {
                throw CommandFailure.Usage("--twins, --clients, --inflight, --runs and --seconds must be positive, --warmup not negative.");
            }
            if (parse.GetValue(qos) is not (0 or 1))
            {
                throw CommandFailure.Usage("--qos must be 0 or 1.");
            }
            return await RunAsync(settings, ct);
        });
        return command;
    }

    private sealed record Settings(int Twins, int Clients, int InFlight, TimeSpan Duration, TimeSpan Warmup, int Runs, MqttQualityOfServiceLevel Qos);

    private static async Task<int> RunAsync(Settings settings, CancellationToken ct)
    {
        var data = Path.Combine(Path.GetTempPath(), "doppel-bench-ingest-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var server = await DoppelServer.StartAsync(
                new DoppelServerOptions { DataDirectory = data, Urls = "http://127.0.0.1:0", MqttPort = 0 }, logging => { }, ct: ct);
            await CreateTwinsAsync(server.HttpAddress!, settings.Twins, ct);
            var doppel = new Uri($"mqtt://127.0.0.1:{server.MqttPort}");
            await using var mosquitto = Mosquitto.IsInstalled ? await Mosquitto.StartAsync(ct) : null;

            var payload = MqttLoad.Payload(0, DateTimeOffset.UtcNow, $"{long.MaxValue / 1000}-{settings.Clients - 1}-1000000").Length;
            Console.WriteLine($"{Environment.ProcessorCount} cores, {settings.Twins:N0} twins, {settings.Clients} clients x {settings.InFlight} in flight, QoS {(int)settings.Qos}, ~{payload}-byte payloads ({Signals} telemetries), {settings.Runs} runs x {settings.Duration.TotalSeconds:0.#}s (+{settings.Warmup.TotalSeconds:0.#}s warm-up); medians:");

            var ours = new List<MqttLoadResult>();
            var peers = new List<MqttLoadResult>();
            long acknowledged = 0, stored = 0;
            // Runs interleave ours and the peer's, so a neighbour's burst on a shared machine hits both alike.
            for (var run = 0; run < settings.Runs; run++)
            {
                var (result, points) = await RunDoppelAsync(server, Options(doppel, settings, rate: null), ct);
                ours.Add(result);
                (acknowledged, stored) = (acknowledged + result.Acknowledged, stored + points);
                if (mosquitto is not null)
                {
                    peers.Add(await RunMosquittoAsync(Options(mosquitto.Address, settings, rate: null), settings.Qos, ct));
                }
            }
            var sustained = Median(ours);
            var half = new List<MqttLoadResult>();
            for (var run = 0; run < settings.Runs; run++)
            {
                var (result, points) = await RunDoppelAsync(server, Options(doppel, settings, rate: Math.Max(1, sustained.MessagesPerSecond / 2)), ct);
                half.Add(result);
                (acknowledged, stored) = (acknowledged + result.Acknowledged, stored + points);
            }

            Console.WriteLine($"  {"workload",-54} {"msg/s",10} {"p50 ms",8} {"p99 ms",8} {"failed",7}");
            MqttLoadResult? peer = null;
            if (mosquitto is not null)
            {
                peer = Median(peers);
                Print($"peer: Mosquitto {mosquitto.Version}, pass-through to 1 MQTT subscriber", peer);
            }
            else
            {
                Console.WriteLine($"  peer: Mosquitto not run ({Mosquitto.Executable} not found; apt install mosquitto)");
            }
            Print("Doppel: durable + live state, 1 in-process subscriber", sustained);
            Print(string.Create(CultureInfo.InvariantCulture, $"Doppel at half rate ({Median(half).MessagesPerSecond:N0} msg/s paced)"), Median(half));
            if (peer is not null)
            {
                Console.WriteLine($"  Doppel = {sustained.MessagesPerSecond / peer.MessagesPerSecond:P0} of Mosquitto's rate; latency is publish -> subscriber (for Doppel: after history commit and live update)");
            }
            var complete = stored == acknowledged * Signals;
            Console.WriteLine($"  history: {stored:N0} points for {acknowledged:N0} acknowledged messages x {Signals} telemetries: {(complete ? "every acknowledged message is stored" : "MISSING POINTS")}");
            return complete ? ExitCodes.Ok : ExitCodes.Failed;
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static MqttLoadOptions Options(Uri broker, Settings settings, double? rate) =>
        new(broker, settings.Twins, TwinPrefix, settings.Clients, settings.InFlight, settings.Duration, settings.Warmup, settings.Qos, rate);

    /// <summary>One run against Doppel with an in-process live subscriber; returns the history points the run added.</summary>
    private static async Task<(MqttLoadResult Result, long Points)> RunDoppelAsync(DoppelServer server, MqttLoadOptions options, CancellationToken ct)
    {
        var before = await server.Runtime.History.CountAsync(ct);
        var probe = new LatencyProbe();
        MqttLoadResult result;
        // Capacity beyond anything a run publishes: a dropped event would be a missing latency sample, not a faster run.
        using (var subscription = server.Runtime.Events.Subscribe(e => e.Type == TwinEventTypes.Telemetry, capacity: 10_000_000))
        {
            var reader = Task.Run(async () =>
            {
                await foreach (var e in subscription.Reader.ReadAllAsync(CancellationToken.None))
                {
                    probe.Record(e.MessageId);
                }
            }, CancellationToken.None);
            result = await MqttLoad.RunAsync(options, probe, ct);
            subscription.Dispose();
            await reader;
            if (subscription.Dropped > 0)
            {
                Console.WriteLine($"  (the live subscriber dropped {subscription.Dropped:N0} events)");
            }
        }
        var after = await server.Runtime.History.CountAsync(ct);
        return (result, after - before);
    }

    /// <summary>One run against Mosquitto, with one MQTT subscriber on the same topics.</summary>
    private static async Task<MqttLoadResult> RunMosquittoAsync(MqttLoadOptions options, MqttQualityOfServiceLevel qos, CancellationToken ct)
    {
        var probe = new LatencyProbe();
        using var subscriber = await Devices.DeviceSimulator.ConnectAsync(options.Broker, "doppel-bench-subscriber-" + Guid.NewGuid().ToString("N")[..8], ct);
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            probe.RecordPayload(e.ApplicationMessage.Payload);
            return Task.CompletedTask;
        };
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("doppel/twins/+/telemetry", qos).Build(), ct);
        var result = await MqttLoad.RunAsync(options, probe, ct);
        await subscriber.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        return result;
    }

    private static async Task CreateTwinsAsync(Uri address, int count, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = address };
        await SendAsync(http, HttpMethod.Post, "/models", Model, ct);
        Console.WriteLine($"Creating {count:N0} twins...");
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await SendAsync(http, HttpMethod.Put, $"/digitaltwins/{TwinPrefix}{i}", $$"""{"$metadata":{"$model":"{{ModelId}}"},"location":"hall {{i % 10}}"}""", ct);
            }
        }));
    }

    private static async Task SendAsync(HttpClient http, HttpMethod method, string path, string body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path + "?api-version=" + DoppelClient.ApiVersion) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} -> {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
    }

    private static MqttLoadResult Median(List<MqttLoadResult> runs) => runs.OrderBy(r => r.MessagesPerSecond).ElementAt(runs.Count / 2);

    private static void Print(string name, MqttLoadResult result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-54} {result.MessagesPerSecond,10:N0} {result.P50.TotalMilliseconds,8:0.00} {result.P99.TotalMilliseconds,8:0.00} {result.Failed,7}"));
}
