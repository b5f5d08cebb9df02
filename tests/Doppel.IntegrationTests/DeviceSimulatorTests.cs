using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Cli;
using Doppel.Cli.Bench;
using Doppel.Cli.Devices;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>`doppel devices simulate` and `doppel bench ingest` against a real server's embedded broker.</summary>
public sealed class DeviceSimulatorTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string Models = """
        [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:sim:Base;1","@type":"Interface",
          "contents":[{"@type":"Telemetry","name":"humidity","schema":"float"}]},
         {"@context":"dtmi:dtdl:context;3","@id":"dtmi:sim:Machine;1","@type":"Interface","extends":"dtmi:sim:Base;1",
          "contents":[{"@type":"Telemetry","name":"temperature","schema":"double"},
                      {"@type":"Telemetry","name":"pressure","schema":"double"},
                      {"@type":"Telemetry","name":"cycles","schema":"integer"},
                      {"@type":"Telemetry","name":"state","schema":"string"},
                      {"@type":"Telemetry","name":"running","schema":"boolean"},
                      {"@type":"Property","name":"speed","schema":"double","writable":true}]},
         {"@context":"dtmi:dtdl:context;3","@id":"dtmi:sim:Other;1","@type":"Interface",
          "contents":[{"@type":"Telemetry","name":"level","schema":"double"}]}]
        """;

    [Fact]
    public async Task Every_message_of_a_counted_QoS_1_run_is_in_history_when_the_command_returns()
    {
        // Given three twins with two numeric telemetries
        await CreateTwinsAsync("dtmi:sim:Machine;1", "count-a", "count-b", "count-c");
        var before = await server.Server.Runtime.History.CountAsync();

        // When 90 messages are published at QoS 1 over two connections, unpaced
        var (exit, stdout, stderr) = await DoppelProcess.RunAsync("devices", "simulate", "--broker", Broker,
            "--twins", "count-a,count-b,count-c", "--telemetry", "temperature,pressure", "--count", "90", "--rate", "0", "--clients", "2", "--seed", "7");

        // Then each acknowledgement meant durable: exactly 90 x 2 new points, none dead-lettered
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("90 acknowledged", stdout);
        Assert.Equal(before + 180, await server.Server.Runtime.History.CountAsync());
    }

    [Fact]
    public async Task A_paced_run_sends_its_values_as_the_seeded_signals_give_them()
    {
        // Given one twin simulated at 20 msg/s for 10 messages with seed 11
        await CreateTwinsAsync("dtmi:sim:Machine;1", "seeded-1");
        var (exit, stdout, stderr) = await DoppelProcess.RunAsync("devices", "simulate", "--broker", Broker,
            "--twins", "seeded-1", "--telemetry", "temperature,cycles:int", "--count", "10", "--rate", "20", "--clients", "1", "--seed", "11");
        Assert.True(exit == 0, stdout + stderr);

        // Then history holds exactly the signal generator's values for that seed and step (1/20 s per twin)
        var step = TimeSpan.FromSeconds(1.0 / 20);
        var temperature = Signal("seeded-1", "temperature", 11);
        var cycles = Signal("seeded-1", "cycles", 11);
        var expectedTemperature = Enumerable.Range(0, 10).Select(_ => Math.Round(temperature.Next(step), 3)).ToList();
        var expectedCycles = Enumerable.Range(0, 10).Select(_ => Math.Round(cycles.Next(step))).ToList();
        var points = (await server.SendOkAsync(HttpMethod.Get, "/doppel/history/twins/seeded-1?names=temperature,cycles"))["value"]!.AsArray();
        Assert.Equal(expectedTemperature, points.Where(p => (string?)p!["name"] == "temperature").Select(p => (double)p!["value"]!));
        Assert.Equal(expectedCycles, points.Where(p => (string?)p!["name"] == "cycles").Select(p => (double)p!["value"]!));
    }

    [Fact]
    public async Task Query_discovery_picks_each_twin_models_numeric_telemetry_inherited_included()
    {
        // Given two Machines (numeric, string and boolean telemetry, a property, a base with humidity) and one Other
        await CreateTwinsAsync("dtmi:sim:Machine;1", "query-m1", "query-m2");
        await CreateTwinsAsync("dtmi:sim:Other;1", "query-o1");
        const string Query = "SELECT * FROM digitaltwins WHERE IS_OF_MODEL('dtmi:sim:Machine;1') AND STARTSWITH($dtId, 'query-')";

        // When the simulator discovers what to send
        using var client = new DoppelClient(server.Server.HttpAddress!.ToString());
        var found = await TwinDiscovery.FromQueryAsync(client, Query, CancellationToken.None);

        // Then it is the Machines' numeric telemetry only, integers marked as such
        Assert.True(found.IsSuccess, found.Error?.ToString());
        Assert.Equal(["query-m1", "query-m2"], found.Value.Select(t => t.Id).Order());
        Assert.All(found.Value, twin => Assert.Equal(
            [new SimulatedTelemetry("cycles", true), new SimulatedTelemetry("humidity", false), new SimulatedTelemetry("pressure", false), new SimulatedTelemetry("temperature", false)],
            twin.Telemetry.OrderBy(t => t.Name, StringComparer.Ordinal)));

        // And the command sends them, accepted by the server's validation (integers as integers): 8 messages x 4 points
        var before = await server.Server.Runtime.History.CountAsync();
        var (exit, stdout, stderr) = await DoppelProcess.RunAsync("devices", "simulate", "--broker", Broker,
            "--server", server.Server.HttpAddress!.ToString(), "--query", Query, "--count", "8", "--rate", "0");
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("Simulating 2 twins (8 signals)", stdout);
        Assert.Equal(before + 32, await server.Server.Runtime.History.CountAsync());
    }

    [Fact]
    public async Task Simulate_refuses_a_run_without_twins_as_a_usage_error()
    {
        var (exit, _, stderr) = await DoppelProcess.RunAsync("devices", "simulate", "--broker", Broker, "--telemetry", "temperature");
        Assert.Equal(2, exit);
        Assert.Contains("--query, --twins or --twin-prefix", stderr);
    }

    [Fact]
    public async Task Bench_ingest_prints_Doppel_rows_and_the_Mosquitto_peer_where_it_is_installed()
    {
        var (exit, stdout, stderr) = await DoppelProcess.RunAsync("bench", "ingest", "--seconds", "1", "--warmup", "0", "--runs", "1", "--twins", "10", "--clients", "2");
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("Doppel: durable + live state", stdout);
        Assert.Contains("Doppel at half rate", stdout);
        Assert.Contains("every acknowledged message is stored", stdout);
        if (Mosquitto.IsInstalled)
        {
            Assert.Contains("peer: Mosquitto", stdout);
            Assert.Contains("of Mosquitto's rate", stdout);
        }
    }

    private string Broker => $"mqtt://127.0.0.1:{server.Server.MqttPort!.Value.ToString(CultureInfo.InvariantCulture)}";

    private static Doppel.Simulation.TelemetrySignal Signal(string twin, string name, int seed)
    {
        var signalSeed = Doppel.Simulation.TelemetrySignal.Seed(seed, twin, name);
        return new Doppel.Simulation.TelemetrySignal(Doppel.Simulation.SignalShape.For(name, signalSeed), signalSeed);
    }

    private async Task CreateTwinsAsync(string model, params string[] ids)
    {
        // The first test of the class uploads the models; the others find them there (409).
        using (var response = await server.SendAsync(HttpMethod.Post, "/models", Models))
        {
            Assert.True(response.IsSuccessStatusCode || (int)response.StatusCode == 409, $"POST /models -> {(int)response.StatusCode}");
        }
        foreach (var id in ids)
        {
            var twin = new JsonObject { ["$metadata"] = new JsonObject { ["$model"] = model } };
            await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{id}", twin.ToJsonString());
        }
    }
}
