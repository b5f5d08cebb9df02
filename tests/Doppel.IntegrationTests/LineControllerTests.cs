using Doppel.Cli.Devices;
using Doppel.IntegrationTests.Support;
using Doppel.Packs.Manufacturing;

namespace Doppel.IntegrationTests;

/// <summary>
/// The demo's line controller: a simulation of the sample line reporting over MQTT to the line's twins, which then hold
/// the simulated line's state, and a scenario forked from them starts there.
/// </summary>
public sealed class LineControllerTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task The_twins_follow_the_simulated_line_and_a_fork_starts_from_where_it_stands()
    {
        // Given the sample factory, its line read from the twins as the demo reads it
        await Scenarios.ImportFactoryAsync(server);
        // ISA-95 sees it as an equipment hierarchy: the stations and buffers are its work units.
        var workUnits = await server.SendOkAsync(HttpMethod.Post, "/query", """{"query":"SELECT T.$dtId FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'dtmi:digitaltwins:isa95:WorkUnit;1')"}""");
        Assert.Equal(9, workUnits["value"]!.AsArray().Count);
        var graph = server.Server.Runtime.Graph;
        var (line, state) = LineTwins.Read(graph, "line-1").Value;
        var layout = LineTwins.Layout(graph, "line-1").Value!;
        Assert.Equal(["press", "weld", "paint", "inspect", "pack"], layout.StationIds);
        Assert.Equal(["buffer-1", "buffer-2", "buffer-3", "buffer-4"], layout.BufferIds);
        var broker = new Uri($"mqtt://127.0.0.1:{server.Server.MqttPort}");
        var controller = new LineController("line-1", line, layout, state, speed: 1, seed: 5, TimeProvider.System);
        Assert.Equal(["paint"], controller.ThermalStations);
        await using var link = await MqttDeviceLink.ConnectAsync(broker, "line-1-controller-test", CancellationToken.None);

        // When it reports the line minute after minute for eight hours
        var levels = new HashSet<int>();
        var states = new HashSet<string>();
        for (var minute = 1; minute <= 480; minute++)
        {
            await controller.ReportAsync(link, minute, CancellationToken.None);
            levels.UnionWith(controller.Reported!.BufferLevels);
            states.UnionWith(controller.Reported.StationStates);
        }

        // Then parts flowed through a line that starved, blocked and broke down, and the twins hold its last report
        var reported = controller.Reported!;
        Assert.True(reported.Shipped > 300, $"{reported.Shipped} parts shipped in 480 minutes");
        Assert.Superset(new HashSet<string> { "working", "starved", "blocked", "down", "cooling" }, states);
        Assert.Contains(5, levels);
        for (var b = 0; b < layout.BufferIds.Count; b++)
        {
            Assert.True(graph.TryGetTwin(layout.BufferIds[b], out var buffer));
            Assert.Equal(reported.BufferLevels[b], buffer.TryGetProperty("level", out var level) ? level.GetInt32() : -1);
        }
        for (var s = 0; s < layout.StationIds.Count; s++)
        {
            Assert.True(graph.TryGetTwin(layout.StationIds[s], out var station));
            Assert.Equal(reported.StationStates[s], station.TryGetProperty("state", out var value) ? value.GetString() : null);
        }
        var live = await server.SendOkAsync(HttpMethod.Get, "/doppel/twins/line-1/live");
        Assert.InRange((double)live["telemetry"]!["throughput"]!["value"]!, 0, 2);
        var weld = await server.SendOkAsync(HttpMethod.Get, "/doppel/twins/weld/live");
        Assert.Equal(Math.Round(reported.LastCycleTimes[1], 4), (double)weld["telemetry"]!["cycleTimeMeasured"]!["value"]!);
        // The paint oven's temperature is its thermal model's, within its limit.
        var paint = await server.SendOkAsync(HttpMethod.Get, "/doppel/twins/paint/live");
        Assert.Equal(Math.Round(reported.Temperatures[2]!.Value, 3), (double)paint["telemetry"]!["temperature"]!["value"]!);
        Assert.InRange(reported.Temperatures[2]!.Value, 20, 76 + 1e-6);

        // And a scenario forked now starts from the reported levels and breakdowns
        var fork = await server.SendOkAsync(HttpMethod.Post, "/doppel/scenarios", """{"line":"line-1","run":{"duration":2000,"warmup":200,"replications":2}}""");
        Assert.Equal(reported.BufferLevels, fork["initialState"]!["bufferLevels"]!.AsArray().Select(l => (int)l!));
        Assert.Equal(layout.StationIds.Where((_, s) => reported.StationStates[s] == "down"), fork["initialState"]!["stationsDown"]!.AsArray().Select(s => (string)s!));
        // with the parts on the machines too: work in progress is the buffers' parts and those the stations hold.
        var holding = layout.StationIds.Where((_, s) => reported.StationStates[s] is "working" or "blocked" or "down" or "cooling").ToList();
        Assert.Equal(holding, fork["initialState"]!["stationsHoldingParts"]!.AsArray().Select(s => (string)s!));
        Assert.Equal(reported.BufferLevels.Sum() + holding.Count, (int)fork["initialState"]!["workInProgress"]!);
    }
}
