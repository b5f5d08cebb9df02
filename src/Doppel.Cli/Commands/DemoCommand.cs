using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.Cli.Devices;
using Doppel.Packs.Manufacturing;
using Doppel.Server;
using MQTTnet.Protocol;

namespace Doppel.Cli.Commands;

/// <summary>
/// doppel demo: the whole platform in one process on embedded defaults. A server with the sample factory loaded, devices
/// publishing machine temperatures over MQTT, and the line's controller, played by a simulation of the line itself,
/// reporting buffer levels, machine states, cycle times and throughput, so that the twin is live and can be queried,
/// watched, and forked into what-if simulations.
/// </summary>
internal static class DemoCommand
{
    private const string LineId = "line-1";

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data folder (the same default as serve).", DefaultValueFactory = _ => "./doppel-data" };
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on, as for serve.", DefaultValueFactory = _ => DoppelServerOptions.DefaultUrls };
        var mqttPort = new Option<int>("--mqtt-port") { Description = "Port of the embedded MQTT broker (0: any free port).", DefaultValueFactory = _ => 1883 };
        var rate = new Option<double>("--rate") { Description = "Temperature messages per second over all machines.", DefaultValueFactory = _ => 20 };
        var speed = new Option<double>("--speed") { Description = "Line minutes simulated per real second by the line's controller.", DefaultValueFactory = _ => 1 };
        var command = new Command("demo", "Run Doppel with a live sample factory: models, twins, simulated machines over MQTT, ready to query, watch and simulate.") { data, urls, mqttPort, rate, speed };
        command.SetAction(async (parse, ct) =>
        {
            if (!(parse.GetValue(speed) > 0))
            {
                Console.Error.WriteLine("doppel: --speed must be positive.");
                return ExitCodes.Usage;
            }
            var options = new DoppelServerOptions { DataDirectory = parse.GetValue(data)!, Urls = parse.GetValue(urls)!, MqttPort = parse.GetValue(mqttPort) };
            await using var server = await DoppelServer.StartAsync(options, logging => { }, ct: ct);
            var http = server.HttpAddress!;
            if (!server.Runtime.Graph.TryGetTwin(LineId, out _))
            {
                await LoadSampleAsync(http, ct);
            }
            var broker = new Uri($"mqtt://127.0.0.1:{server.MqttPort}");
            // The controller simulates the line as its twins define it, from the state they last reported.
            var line = LineTwins.Read(server.Runtime.Graph, LineId);
            var layout = LineTwins.Layout(server.Runtime.Graph, LineId);
            if (!line.IsSuccess || !layout.IsSuccess)
            {
                Console.Error.WriteLine($"doppel: {LineId}: {(line.Error ?? layout.Error)!.Message}");
                return ExitCodes.Failed;
            }
            var controller = new LineController(broker, LineId, line.Value.Line, layout.Value, line.Value.State, parse.GetValue(speed), (ulong)Environment.TickCount64, TimeProvider.System);
            Console.WriteLine($"Doppel demo: the sample factory ({LineId}: {string.Join(" → ", layout.Value.StationIds)}) is live.");
            Console.WriteLine($"  API {http}   MQTT {broker}   data {Path.GetFullPath(options.DataDirectory)}");
            Console.WriteLine($"  try: doppel query \"SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:doppel:manufacturing:Station;1')\" --server {http}");
            Console.WriteLine($"       doppel watch --twin weld --server {http}");
            Console.WriteLine($"       doppel simulate samples/factory/line.yaml --line line-1 --server {http}");
            Console.WriteLine("  Press Ctrl+C to stop.");
            var devices = new DeviceSimulator(new DeviceSimulatorOptions(broker,
                [.. layout.Value.StationIds.Except(controller.ThermalStations).Select(s => new SimulatedTwin(s, [new SimulatedTelemetry("temperature", false)]))],
                parse.GetValue(rate), null, null, MqttQualityOfServiceLevel.AtLeastOnce, 1, 8, 1), TimeProvider.System);
            try
            {
                await Task.WhenAll(devices.RunAsync(ct), controller.RunAsync(TimeSpan.FromSeconds(0.5), ct));
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
}
