using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.Cli.Devices;
using Doppel.Server;
using Doppel.Simulation;
using MQTTnet;
using MQTTnet.Protocol;

namespace Doppel.Cli.Commands;

/// <summary>
/// doppel demo: the whole platform in one process on embedded defaults. A server with the sample factory loaded, devices
/// publishing machine telemetry over MQTT, and a line controller reporting buffer levels and breakdowns, so that the
/// twin is live and can be queried, watched, and forked into what-if simulations.
/// </summary>
internal static class DemoCommand
{
    private static readonly string[] Stations = ["press", "weld", "paint", "inspect", "pack"];

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data folder (the same default as serve).", DefaultValueFactory = _ => "./doppel-data" };
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on, as for serve.", DefaultValueFactory = _ => DoppelServerOptions.DefaultUrls };
        var mqttPort = new Option<int>("--mqtt-port") { Description = "Port of the embedded MQTT broker (0: any free port).", DefaultValueFactory = _ => 1883 };
        var rate = new Option<double>("--rate") { Description = "Telemetry messages per second over all machines.", DefaultValueFactory = _ => 20 };
        var command = new Command("demo", "Run Doppel with a live sample factory: models, twins, simulated machines over MQTT, ready to query, watch and simulate.") { data, urls, mqttPort, rate };
        command.SetAction(async (parse, ct) =>
        {
            var options = new DoppelServerOptions { DataDirectory = parse.GetValue(data)!, Urls = parse.GetValue(urls)!, MqttPort = parse.GetValue(mqttPort) };
            await using var server = await DoppelServer.StartAsync(options, logging => { }, ct: ct);
            var http = server.HttpAddress!;
            if (!server.Runtime.Graph.TryGetTwin("line-1", out _))
            {
                await LoadSampleAsync(http, ct);
            }
            var broker = new Uri($"mqtt://127.0.0.1:{server.MqttPort}");
            Console.WriteLine($"Doppel demo: the sample factory (line-1: {string.Join(" → ", Stations)}) is live.");
            Console.WriteLine($"  API {http}   MQTT {broker}   data {Path.GetFullPath(options.DataDirectory)}");
            Console.WriteLine($"  try: doppel query \"SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:doppel:manufacturing:Station;1')\" --server {http}");
            Console.WriteLine($"       doppel watch --twin weld --server {http}");
            Console.WriteLine($"       doppel simulate samples/factory/line.yaml --line line-1 --server {http}");
            Console.WriteLine("  Press Ctrl+C to stop.");
            var devices = new DeviceSimulator(new DeviceSimulatorOptions(broker,
                [.. Stations.Select(s => new SimulatedTwin(s, [new SimulatedTelemetry("temperature", false), new SimulatedTelemetry("cycleTimeMeasured", false)]))],
                parse.GetValue(rate), null, null, MqttQualityOfServiceLevel.AtLeastOnce, 1, 8, 1), TimeProvider.System);
            try
            {
                await Task.WhenAll(devices.RunAsync(ct), ControllerAsync(broker, ct));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Creates the sample's models, twins and relationships through the REST API (the file bundled with the CLI).</summary>
    private static async Task LoadSampleAsync(Uri server, CancellationToken ct)
    {
        using var stream = typeof(DemoCommand).Assembly.GetManifestResourceStream("Samples.factory.ndjson")!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var section = "";
        var models = new JsonArray();
        var twins = new List<JsonObject>();
        var relationships = new List<JsonObject>();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            var node = JsonNode.Parse(line)!.AsObject();
            if (node["Section"] is JsonValue s)
            {
                section = (string)s!;
                continue;
            }
            switch (section)
            {
                case "Models":
                    models.Add(node);
                    break;
                case "Twins":
                    twins.Add(node);
                    break;
                case "Relationships":
                    relationships.Add(node);
                    break;
            }
        }
        using var client = new DoppelClient(server.ToString());
        await Expect(client.SendAsync(HttpMethod.Post, "models", models.ToJsonString(), ct: ct));
        foreach (var twin in twins)
        {
            var id = (string)twin["$dtId"]!;
            twin.Remove("$dtId");
            await Expect(client.SendAsync(HttpMethod.Put, $"digitaltwins/{Uri.EscapeDataString(id)}", twin.ToJsonString(), ct: ct));
        }
        foreach (var relationship in relationships)
        {
            var source = (string)relationship["$sourceId"]!;
            var id = (string)relationship["$relationshipId"]!;
            await Expect(client.SendAsync(HttpMethod.Put, $"digitaltwins/{Uri.EscapeDataString(source)}/relationships/{Uri.EscapeDataString(id)}", relationship.ToJsonString(), ct: ct));
        }

        static async Task Expect(Task<(int Status, JsonNode? Body)> call)
        {
            var (status, body) = await call;
            if (status is < 200 or >= 300)
            {
                throw new InvalidOperationException($"Loading the sample factory failed: {status} {body?.ToJsonString()}");
            }
        }
    }

    /// <summary>
    /// The line controller: every second it reports each buffer's level (a bounded random walk) and, now and then, a
    /// machine breaking down or coming back, as reported properties over MQTT.
    /// </summary>
    private static async Task ControllerAsync(Uri broker, CancellationToken ct)
    {
        using var client = await DeviceSimulator.ConnectAsync(broker, "line-1-controller", ct);
        var random = new SimRandom(7);
        var levels = new int[4];
        var down = new bool[Stations.Length];
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(ct))
        {
            for (var b = 0; b < levels.Length; b++)
            {
                levels[b] = Math.Clamp(levels[b] + random.Next(3) - 1, 0, 5);
                await Publish(client, $"doppel/twins/buffer-{b + 1}/properties", new JsonObject { ["level"] = levels[b] }, ct);
            }
            var station = random.Next(Stations.Length);
            if (random.NextDouble() < 0.1)
            {
                down[station] = !down[station];
                await Publish(client, $"doppel/twins/{Stations[station]}/properties", new JsonObject { ["state"] = down[station] ? "down" : "working" }, ct);
            }
        }
    }

    private static Task Publish(IMqttClient client, string topic, JsonObject payload, CancellationToken ct) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload.ToJsonString())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
}
