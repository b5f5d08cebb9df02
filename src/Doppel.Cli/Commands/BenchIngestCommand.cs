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
        var rules = new Option<int>("--rules") { Description = "Alert rules on the twins' model: each run is repeated with them in force, the rate ratio is reported, and the half-rate runs measure publish-to-alert latency (0: no rules).", DefaultValueFactory = _ => 0 };
        var storm = new Option<bool>("--alert-storm") { Description = "With --rules: thresholds that change an alert's state on about 3% of messages (the cost of an alert storm) instead of 0.1%." };
        var command = new Command("ingest", "MQTT telemetry ingest (durable, then visible to a live subscriber) against an embedded server, beside Mosquitto passing the same load through, and latency at half the sustained rate.")
        {
            twins, clients, inflight, seconds, warmup, runs, qos, rules, storm,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new Settings(parse.GetValue(twins), parse.GetValue(clients), parse.GetValue(inflight),
                TimeSpan.FromSeconds(parse.GetValue(seconds)), TimeSpan.FromSeconds(parse.GetValue(warmup)), parse.GetValue(runs),
                (MqttQualityOfServiceLevel)parse.GetValue(qos), parse.GetValue(rules), parse.GetValue(storm));
            if (settings.Rules < 0)
            {
                throw CommandFailure.Usage("--rules must not be negative.");
            }
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

    private sealed record Settings(int Twins, int Clients, int InFlight, TimeSpan Duration, TimeSpan Warmup, int Runs, MqttQualityOfServiceLevel Qos, int Rules, bool AlertStorm);

    /// <summary>
    /// Rules of the kinds users write, over the bench payload (temperature 20 to 29.99 cycling over 1,000 messages,
    /// pressure 101 to 101.99 over 100, vibration 0 to 0.096 over 97, each device's sequence): three thresholds with
    /// hysteresis, a windowed average, and a rate with a duration, all reading every message. Alerts are exceptions: only
    /// the temperature threshold fires, on 1 reading in 1,000 (what the latency is measured on); the other two sit just
    /// above what the payload reaches, evaluated on every message all the same.
    /// </summary>
    private static readonly string[] RuleConditions =
    [
        "\"condition\":\"temperature > 29.98\",\"clear\":\"temperature < 25\"",
        "\"condition\":\"pressure > 102\",\"clear\":\"pressure < 101.5\"",
        "\"condition\":\"vibration > 0.1\",\"clear\":\"vibration < 0.05\"",
        "\"condition\":\"AVG(temperature, '1m') > 100\"",
        "\"condition\":\"RATE(pressure, '1m', '1s') > 1000\",\"for\":\"30s\"",
    ];

    /// <summary>An alert storm (<c>--alert-storm</c>): each threshold fires on about 1 reading in 100, so about 3% of messages raise or clear an alert.</summary>
    private static readonly string[] StormConditions =
    [
        "\"condition\":\"temperature > 29.9\",\"clear\":\"temperature < 25\"",
        "\"condition\":\"pressure > 101.98\",\"clear\":\"pressure < 101.5\"",
        "\"condition\":\"vibration > 0.095\",\"clear\":\"vibration < 0.05\"",
        "\"condition\":\"AVG(temperature, '1m') > 100\"",
        "\"condition\":\"RATE(pressure, '1m', '1s') > 1000\",\"for\":\"30s\"",
    ];

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
            var withRules = new List<MqttLoadResult>();
            var peers = new List<MqttLoadResult>();
            long acknowledged = 0, stored = 0;
            using var http = new HttpClient { BaseAddress = server.HttpAddress };
            // Runs interleave ours and the peer's (and with and without rules), so a neighbour's burst on a shared machine hits all alike.
            for (var run = 0; run < settings.Runs; run++)
            {
                var (result, points, _) = await RunDoppelAsync(server, Options(doppel, settings, rate: null), ct);
                ours.Add(result);
                (acknowledged, stored) = (acknowledged + result.Acknowledged, stored + points);
                if (settings.Rules > 0)
                {
                    await PutRulesAsync(http, settings.Rules, settings.AlertStorm ? StormConditions : RuleConditions, ct);
                    (result, points, _) = await RunDoppelAsync(server, Options(doppel, settings, rate: null), ct);
                    withRules.Add(result);
                    (acknowledged, stored) = (acknowledged + result.Acknowledged, stored + points);
                    await DeleteRulesAsync(http, settings.Rules, ct);
                }
                if (mosquitto is not null)
                {
                    peers.Add(await RunMosquittoAsync(Options(mosquitto.Address, settings, rate: null), settings.Qos, ct));
                }
            }
            var sustained = Median(ours);
            var sustainedWithRules = settings.Rules > 0 ? Median(withRules) : null;
            if (settings.Rules > 0)
            {
                await PutRulesAsync(http, settings.Rules, settings.AlertStorm ? StormConditions : RuleConditions, ct);
            }
            var half = new List<MqttLoadResult>();
            var alertLatencies = new List<MqttLoadResult>();
            for (var run = 0; run < settings.Runs; run++)
            {
                var rate = Math.Max(1, (sustainedWithRules ?? sustained).MessagesPerSecond / 2);
                var (result, points, alerts) = await RunDoppelAsync(server, Options(doppel, settings, rate), ct);
                half.Add(result);
                alertLatencies.Add(alerts);
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
            if (sustainedWithRules is not null)
            {
                Print($"Doppel with {settings.Rules} rules on every twin's model", sustainedWithRules);
            }
            var halfName = sustainedWithRules is null ? "Doppel at half rate" : "Doppel with rules at half rate";
            Print(string.Create(CultureInfo.InvariantCulture, $"{halfName} ({Median(half).MessagesPerSecond:N0} msg/s paced)"), Median(half));
            if (peer is not null)
            {
                Console.WriteLine($"  Doppel = {sustained.MessagesPerSecond / peer.MessagesPerSecond:P0} of Mosquitto's rate; latency is publish -> subscriber (for Doppel: after history commit and live update)");
            }
            if (sustainedWithRules is not null)
            {
                var alerts = alertLatencies.OrderBy(a => a.P99).ElementAt(alertLatencies.Count / 2);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  rules: {sustainedWithRules.MessagesPerSecond / sustained.MessagesPerSecond:P1} of the rate without rules ({1 - (sustainedWithRules.MessagesPerSecond / sustained.MessagesPerSecond):P1} lost); publish -> alert raised (stored, then announced) at half rate: p50 {alerts.P50.TotalMilliseconds:0.00} ms, p99 {alerts.P99.TotalMilliseconds:0.00} ms over {alerts.Acknowledged:N0} alerts"));
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

    /// <summary>
    /// One run against Doppel with an in-process live subscriber; returns the history points the run added and the
    /// latency from the publish of a twin's latest message to each alert raised on it (in an <see cref="MqttLoadResult"/>:
    /// its count is the number of alerts).
    /// </summary>
    private static async Task<(MqttLoadResult Result, long Points, MqttLoadResult Alerts)> RunDoppelAsync(DoppelServer server, MqttLoadOptions options, CancellationToken ct)
    {
        var before = await server.Runtime.History.CountAsync(ct);
        var probe = new LatencyProbe();
        var alertProbe = new LatencyProbe();
        var lastSent = new Dictionary<string, long>(StringComparer.Ordinal);
        MqttLoadResult result;
        // Capacity beyond anything a run publishes: a dropped event would be a missing latency sample, not a faster run.
        using (var subscription = server.Runtime.Events.Subscribe(e => e.Type is TwinEventTypes.Telemetry or Doppel.Rules.AlertEventTypes.Raised, capacity: 10_000_000))
        {
            var reader = Task.Run(async () =>
            {
                await foreach (var e in subscription.Reader.ReadAllAsync(CancellationToken.None))
                {
                    if (e.Type == TwinEventTypes.Telemetry)
                    {
                        probe.Record(e.MessageId);
                        if (LatencyProbe.SentAt(e.MessageId) is { } sent)
                        {
                            lastSent[e.TwinId] = sent;
                        }
                    }
                    else if (lastSent.TryGetValue(e.TwinId, out var sent))
                    {
                        // The alert's message is the twin's latest one seen before it: the telemetry event is published before the alert is stored.
                        alertProbe.RecordSent(sent);
                    }
                }
            }, CancellationToken.None);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            alertProbe.Window(started + (long)(options.Warmup.TotalSeconds * System.Diagnostics.Stopwatch.Frequency), long.MaxValue);
            result = await MqttLoad.RunAsync(options, probe, ct);
            subscription.Dispose();
            await reader;
            if (subscription.Dropped > 0)
            {
                Console.WriteLine($"  (the live subscriber dropped {subscription.Dropped:N0} events)");
            }
        }
        var after = await server.Runtime.History.CountAsync(ct);
        var (p50, p99, samples) = alertProbe.Latencies();
        return (result, after - before, result with { P50 = p50, P99 = p99, Acknowledged = samples });
    }

    private static async Task PutRulesAsync(HttpClient http, int count, string[] conditions, CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
        {
            await SendAsync(http, HttpMethod.Put, $"/doppel/rules/bench-{i}",
                $$"""{"scope":{"model":"{{ModelId}}"},{{conditions[i % conditions.Length]}},"severity":"warning","message":"{twinId}: {value}"}""", ct);
        }
    }

    private static async Task DeleteRulesAsync(HttpClient http, int count, CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, $"/doppel/rules/bench-{i}");
            using var response = await http.SendAsync(request, ct);
        }
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
