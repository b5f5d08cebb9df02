using System.Diagnostics;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>
/// A what-if on the sample factory, forked from its live twins while device simulators publish: the scenario starts from
/// the reported buffer levels and breakdowns, returns KPIs and comparisons, and leaves every twin as it was.
/// </summary>
public sealed class ScenarioApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_scenario_forks_the_live_line_while_devices_publish_and_never_writes_to_twins()
    {
        await Scenarios.ImportFactoryAsync(server);

        var mqtt = server.Server.MqttPort!.Value;
        // The line reports where it stands: parts waiting after the welder, the welder down.
        using (var plc = await Mqtt.ConnectAsync(mqtt, "plc-line-1"))
        {
            Assert.True((await plc.PublishAsync("doppel/twins/buffer-2/properties", """{"level":4}""")).IsSuccess);
            Assert.True((await plc.PublishAsync("doppel/twins/weld/properties", """{"state":"down"}""")).IsSuccess);
        }
        // Machines keep sending telemetry while the scenario runs.
        var devices = Process.Start(DoppelProcess.StartInfo(["devices", "simulate", "--broker", $"mqtt://127.0.0.1:{mqtt}", "--twins", "press,weld,paint,inspect,pack",
            "--telemetry", "temperature,cycleTimeMeasured", "--rate", "200", "--count", "2000"]))!;
        var deviceOutput = Task.WhenAll(devices.StandardOutput.ReadToEndAsync(), devices.StandardError.ReadToEndAsync());
        var before = await EtagsAsync();

        var result = await server.SendOkAsync(HttpMethod.Post, "/doppel/scenarios", """
            {"line":"line-1","run":{"duration":20000,"warmup":1000,"replications":8,"seed":3},
             "whatIf":{"faster-paint":{"stations":{"paint":{"cycleTime":"normal(1.0, 0.1)"}}}}}
            """);
        await devices.WaitForExitAsync();
        var output = await deviceOutput;

        Assert.True(devices.ExitCode == 0, string.Join("\n", output));
        Assert.Equal([0, 4, 0, 0], result["initialState"]!["bufferLevels"]!.AsArray().Select(l => (int)l!));
        Assert.Equal(["weld"], result["initialState"]!["stationsDown"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(2, (int)result["crews"]!);
        var scenarios = result["scenarios"]!.AsArray();
        Assert.Equal(["baseline", "faster-paint"], scenarios.Select(s => (string?)s!["name"]));
        Assert.Equal("paint", (string?)scenarios[0]!["bottleneck"]);
        Assert.True((double)scenarios[0]!["kpis"]!["throughput"]!["mean"]! > 0.5);
        Assert.True((bool)scenarios[1]!["throughputVsBaseline"]!["significant"]!);
        Assert.Equal(before, await EtagsAsync());
        // And the telemetry the devices sent arrived meanwhile.
        Assert.NotEmpty((await server.SendOkAsync(HttpMethod.Get, "/doppel/twins/paint/live"))["telemetry"]!.AsObject());

        // The same from the command line, with the what-ifs of the sample scenario file.
        var cli = await DoppelProcess.RunAsync("simulate", Path.Combine(Repository.Root, "samples", "factory", "line.yaml"), "--line", "line-1",
            "--server", server.Server.HttpAddress!.ToString(), "--replications", "3", "--duration", "3000", "--warmup", "300");
        Assert.True(cli.ExitCode == 0, cli.StdErr);
        Assert.Contains("Line line-1 from now: buffer levels [0, 4, 0, 0], down: [weld], parts on stations: [press, weld, paint, inspect, pack], work in progress 9", cli.StdOut, StringComparison.Ordinal);
        Assert.Contains("weld-maintenance", cli.StdOut, StringComparison.Ordinal);

        // The same line as it stood before anything was reported: empty buffers, nothing down.
        var earlier = await server.SendOkAsync(HttpMethod.Post, "/doppel/scenarios", """
            {"line":"line-1","at":"2020-01-01T00:00:00Z","run":{"duration":5000,"warmup":500,"replications":3}}
            """);
        Assert.Equal([0, 0, 0, 0], earlier["initialState"]!["bufferLevels"]!.AsArray().Select(l => (int)l!));
        Assert.Empty(earlier["initialState"]!["stationsDown"]!.AsArray());
        Assert.Equal(0, (int)earlier["initialState"]!["workInProgress"]!);
    }

    [Theory]
    [InlineData("""{"run":{}}""", "\"line\"")]
    [InlineData("""{"line":"nope"}""", "no digital twin")]
    [InlineData("""{"line":"paint"}""", "not a dtmi:doppel:manufacturing:Line;1")]
    [InlineData("""{"line":"line-1","run":{"replications":1}}""", "replications")]
    [InlineData("""{"line":"line-1","whatIf":{"x":{"stations":{"nope":{"cycleTime":"exp(1)"}}}}}""", "no station 'nope'")]
    public async Task A_malformed_scenario_is_refused_with_the_reason(string body, string expected)
    {
        await Scenarios.ImportFactoryAsync(server);

        using var response = await server.SendAsync(HttpMethod.Post, "/doppel/scenarios", body);

        Assert.InRange((int)response.StatusCode, 400, 404);
        Assert.Contains(expected, System.Text.RegularExpressions.Regex.Unescape(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"ambient":20,"rise":60}""", "'thermal' needs ambient, rise, timeConstant, tripAt and resumeAt")]
    [InlineData("""{"ambient":20,"rise":60,"timeConstant":30,"tripAt":50,"resumeAt":70}""", "thermal limit: need ambient (20) < resumeAt (70) < tripAt (50)")]
    public async Task A_line_whose_station_has_a_malformed_thermal_limit_is_refused_with_the_reason(string thermal, string expected)
    {
        // A one-station line of the sample's models, its oven's limit as given.
        var suffix = Guid.NewGuid().ToString("N")[..6];
        await Scenarios.ImportFactoryAsync(server);
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/line-{suffix}", """{"$metadata":{"$model":"dtmi:doppel:manufacturing:Line;1"},"tags":{"$metadata":{}}}""");
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/oven-{suffix}",
            """{"$metadata":{"$model":"dtmi:doppel:manufacturing:Station;1"},"tags":{"$metadata":{}},"sequence":1,"cycleTime":"const(1)","thermal":""" + thermal + "}");
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/line-{suffix}/relationships/s1",
            $$"""{"$relationshipName":"hasStation","$targetId":"oven-{{suffix}}"}""");

        using var response = await server.SendAsync(HttpMethod.Post, "/doppel/scenarios", $$"""{"line":"line-{{suffix}}"}""");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains(expected, System.Text.RegularExpressions.Regex.Unescape(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    private async Task<List<string>> EtagsAsync()
    {
        var query = await server.SendOkAsync(HttpMethod.Post, "/query", """{"query":"SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:doppel:manufacturing:Station;1') OR IS_OF_MODEL('dtmi:doppel:manufacturing:Buffer;1') OR IS_OF_MODEL('dtmi:doppel:manufacturing:Line;1') OR IS_OF_MODEL('dtmi:doppel:manufacturing:MaintenanceCrew;1')"}""");
        return [.. query["value"]!.AsArray().Select(t => $"{t!["$dtId"]}={t["$etag"]}").Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task An_experiment_runs_a_scenario_file_posted_as_YAML_and_refuses_a_bad_one()
    {
        var yaml = File.ReadAllText(Path.Combine(Repository.Root, "samples", "factory", "line.yaml")).Replace("replications: 20", "replications: 4", StringComparison.Ordinal);

        var result = await server.SendOkAsync(HttpMethod.Post, "/doppel/experiments", yaml, "application/yaml");
        using var bad = await server.SendAsync(HttpMethod.Post, "/doppel/experiments", "line: {}", "application/yaml");

        Assert.Equal(6, result["scenarios"]!.AsArray().Count);
        Assert.Equal(400, (int)bad.StatusCode);
        Assert.Contains("stations", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
