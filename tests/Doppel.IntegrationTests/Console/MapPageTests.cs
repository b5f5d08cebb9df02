using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;
using Doppel.Packs;
using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Live;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Views;
using Microsoft.Playwright;
using MQTTnet;

namespace Doppel.IntegrationTests.WebConsole;

/// <summary>
/// The mobility pack's city map in a real browser over twins made from a SUMO network (a 4×4 grid with traffic lights,
/// generated with netgenerate): every road drawn from its twin's shape, coloured by the speed the twin holds in the
/// colours of the run pictures (<see cref="SpeedColors"/>), signals at their intersections, and both recoloured live
/// when the twins change.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class MapPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string City = "town";
    private readonly ServerFixture _server = new();
    private RoadNetwork _network = null!;
    private CityTwins _twins = null!;
    private string _path = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        await _server.SendOkAsync(HttpMethod.Post, "/doppel/packs/mobility/models");
        _path = Path.Combine(Repository.Root, "tests", "Doppel.IntegrationTests", "Mobility", "Data", "grid4.net.xml");
        _network = SumoNetworkReader.Read(_path).Value!;
        var twins = CityTwins.Build(City, _path, _network, [], null);
        Assert.True(twins.IsSuccess, twins.Error?.Message);
        _twins = twins.Value;
        foreach (var twin in _twins.Twins)
        {
            await _server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{twin["$dtId"]}?api-version={ServerFixture.ApiVersion}", twin.ToJsonString());
        }
        foreach (var relationship in _twins.Relationships)
        {
            await _server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{relationship["$sourceId"]}/relationships/{relationship["$relationshipId"]}?api-version={ServerFixture.ApiVersion}", relationship.ToJsonString());
        }
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task The_map_draws_every_road_of_the_city_and_recolours_a_road_and_a_signal_when_their_twins_change()
    {
        // Given the town's twins, and no speed on any road yet
        var roads = _twins.Twins.Where(t => (string?)t["$metadata"]!["$model"] == CityTwin.RoadModelId).ToList();
        var signalPairs = _twins.Relationships.Count(r => (string?)r["$relationshipName"] == CityTwin.Controls);
        Assert.True(signalPairs > 0, "grid4 has traffic lights");

        // When the map opens on the town
        await using var tab = await browser.OpenAsync(_server.Server.HttpAddress!, nameof(The_map_draws_every_road_of_the_city_and_recolours_a_road_and_a_signal_when_their_twins_change), $"packs/mobility/map?twin={City}");
        var page = tab.Page;

        // Then every road is drawn, grey (nothing measured), and every signal at each intersection it controls
        await Assertions.Expect(page.GetByTestId("live-status")).ToHaveAttributeAsync("data-status", "open");
        await Assertions.Expect(page.GetByTestId("road")).ToHaveCountAsync(roads.Count);
        await Assertions.Expect(page.Locator($"[data-testid=road][data-colour='{SpeedColors.Hex(SpeedColors.NoTraffic)}']")).ToHaveCountAsync(roads.Count);
        await Assertions.Expect(page.GetByTestId("signal")).ToHaveCountAsync(signalPairs);
        // And a road lies where its twin's shape says: its path starts at the shape's first point (north up)
        var road = roads.First(r => (string?)r["edge"] == _network.Edges.First(e => !e.IsInternal).Id);
        var roadId = (string)road["$dtId"]!;
        var limit = (double)road["speedLimit"]!;
        var line = page.Locator($"[data-testid=road][data-road='{roadId}']");
        var first = ((string)road["shape"]!).Split(' ')[0].Split(',');
        var d = await line.GetAttributeAsync("d");
        Assert.StartsWith($"M{Number(first[0])},", d, StringComparison.Ordinal);

        // When the road's twin gets a jam (2 m/s), then free flow
        await PatchAsync(roadId, "add", "meanSpeed", 2.0);
        // Then the road takes the pictures' colour of that share of its limit, live
        await Assertions.Expect(line).ToHaveAttributeAsync("data-colour", SpeedColors.Hex(SpeedColors.ForRatio(2.0 / limit)));
        await Assertions.Expect(line).ToHaveAttributeAsync("stroke", SpeedColors.Hex(SpeedColors.ForRatio(2.0 / limit)));
        await tab.ScreenshotAsync("jam");
        await PatchAsync(roadId, "replace", "meanSpeed", limit * 0.55);
        await Assertions.Expect(line).ToHaveAttributeAsync("data-colour", SpeedColors.Hex(SpeedColors.ForRatio(0.55)));
        // And every other road stays grey
        await Assertions.Expect(page.Locator($"[data-testid=road][data-colour='{SpeedColors.Hex(SpeedColors.NoTraffic)}']")).ToHaveCountAsync(roads.Count - 1);

        // When a signal turns all red
        var signal = _twins.Twins.First(t => (string?)t["$metadata"]!["$model"] == CityTwin.SignalModelId);
        var signalId = (string)signal["$dtId"]!;
        var allRed = new string('r', ((string)signal["state"]!).Length);
        await PatchAsync(signalId, "replace", "state", allRed);
        // Then its markers show the new state, every link red
        var markers = page.Locator($"[data-testid=signal][data-signal='{signalId}']");
        await Assertions.Expect(markers.First).ToHaveAttributeAsync("data-state", allRed);
        await Assertions.Expect(markers.First.Locator("rect[fill='#c62828']")).ToHaveCountAsync(allRed.Length);

        // When the map is coloured by flow: the road has no flow yet (grey), then 900 veh/h
        await page.GetByTestId("colour-mode").SelectOptionAsync("flow");
        await Assertions.Expect(line).ToHaveAttributeAsync("data-colour", SpeedColors.Hex(SpeedColors.NoTraffic));
        await PatchAsync(roadId, "add", "flow", 900.0);
        await Assertions.Expect(line).Not.ToHaveAttributeAsync("data-colour", SpeedColors.Hex(SpeedColors.NoTraffic));
    }

    [Fact]
    public async Task A_what_if_runs_frames_play_on_the_map_with_its_vehicles_and_road_speeds()
    {
        // Given a what-if forked from the town's live state with a frame every 20 s (the city twin names its network file)
        await PatchAsync(City, "replace", CityTwin.NetFile, _path);
        foreach (var road in _twins.Twins.Where(t => (string?)t["$metadata"]!["$model"] == CityTwin.RoadModelId))
        {
            var patch = new JsonArray(
                new JsonObject { ["op"] = "add", ["path"] = "/" + CityTwin.Flow, ["value"] = 150.0 },
                new JsonObject { ["op"] = "add", ["path"] = "/" + CityTwin.Density, ["value"] = 10.0 },
                new JsonObject { ["op"] = "add", ["path"] = "/" + CityTwin.MeanSpeed, ["value"] = 8.0 });
            await PatchAsync((string)road["$dtId"]!, patch);
        }
        var started = await _server.SendOkAsync(HttpMethod.Post, "/doppel/scenarios?wait=false",
            $$"""{"kind": "traffic", "city": "{{City}}", "run": {"duration": 300, "replications": 2, "seed": 5}, "frames": 20, "whatIf": {"close B1C1": {"close": ["B1C1"]} } }""");
        var runId = (string)started["id"]!;
        var run = await Poll.UntilAsync(() => _server.SendOkAsync(HttpMethod.Get, $"/doppel/runs/{runId}"), r => (string?)r["status"] is "succeeded" or "failed", "the what-if run");
        Assert.Equal("succeeded", (string?)run["status"]);
        var frames = run["result"]!["scenarios"]![0]!["frames"]!.AsArray();
        Assert.True(frames.Count >= 15, $"{frames.Count} frames");
        var last = frames.Count - 1;

        // When the map opens on that run
        await using var tab = await browser.OpenAsync(_server.Server.HttpAddress!, nameof(A_what_if_runs_frames_play_on_the_map_with_its_vehicles_and_road_speeds), $"packs/mobility/map?twin={City}&run={runId}");
        var page = tab.Page;

        // Then the baseline's first frame is drawn: its vehicles where they are and the roads in its speeds
        var time = page.GetByTestId("frame-time");
        await Assertions.Expect(time).ToHaveAttributeAsync("data-index", "0");
        await ExpectFrameAsync(page, frames[0]!);
        await Assertions.Expect(page.GetByTestId("scenario-select").Locator("option")).ToHaveCountAsync(2);

        // When the slider moves to frame 8, the map shows frame 8
        await page.GetByTestId("frame-slider").FillAsync("8");
        await Assertions.Expect(time).ToHaveAttributeAsync("data-index", "8");
        await ExpectFrameAsync(page, frames[8]!);
        await tab.ScreenshotAsync("frame-8");

        // And when it plays, the frames follow one another to the last
        await page.GetByTestId("play").ClickAsync();
        await Assertions.Expect(time).ToHaveAttributeAsync("data-index", Number(last), new LocatorAssertionsToHaveAttributeOptions { Timeout = 30_000 });
        await ExpectFrameAsync(page, frames[last]!);

        // And the closure's scenario shows its own frames, the closed road empty at its end
        await page.GetByTestId("scenario-select").SelectOptionAsync("1");
        await page.GetByTestId("frame-slider").FillAsync(Number(last));
        var closed = run["result"]!["scenarios"]![1]!["frames"]!.AsArray();
        await ExpectFrameAsync(page, closed[last]!);
        await Assertions.Expect(page.Locator($"[data-testid=road][data-edge='B1C1']")).ToHaveAttributeAsync("data-colour", SpeedColors.Hex(SpeedColors.NoTraffic));
    }

    [Fact]
    public async Task The_citys_vehicles_published_over_MQTT_as_the_live_replay_publishes_them_move_on_the_map()
    {
        // Given the town's trips driven by the simulator, a frame of its vehicles at 2 minutes past yesterday's midnight
        // published over MQTT as the city's telemetry, before the map opens
        var demand = SumoDemandReader.Read(_network, [Path.Combine(Path.GetDirectoryName(_path)!, "grid4.rou.xml")], 5).Value!;
        var day = CityVehicles.Create(_network, demand, 5).Value!;
        var midnight = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-1); // a device cannot report the future
        using var client = await Mqtt.ConnectAsync(_server.Server.MqttPort!.Value, "town-vehicles");
        await using var link = new MqttLink(client);
        await day.PublishAsync(link, City, midnight, 120, default);
        var before = day.At(120);
        Assert.NotEmpty(before.Vehicles);

        // When the map opens on the town (no what-if run chosen)
        await using var tab = await browser.OpenAsync(_server.Server.HttpAddress!, nameof(The_citys_vehicles_published_over_MQTT_as_the_live_replay_publishes_them_move_on_the_map), $"packs/mobility/map?twin={City}");
        var page = tab.Page;

        // Then it shows the latest frame's vehicles where they are, read from the city's live telemetry
        await Assertions.Expect(page.GetByTestId("live-status")).ToHaveAttributeAsync("data-status", "open");
        await ExpectLiveVehiclesAsync(page, before, midnight);
        await tab.ScreenshotAsync("live-vehicles");

        // When the next frame comes, 5 s later, the vehicles move on the map without a reload
        await day.PublishAsync(link, City, midnight, 125, default);
        var after = day.At(125);
        await ExpectLiveVehiclesAsync(page, after, midnight);
        var moved = after.Vehicles.First(v => v.Speed > 1 && before.Vehicles.Any(b => b.Id == v.Id));
        var was = before.Vehicles.First(b => b.Id == moved.Id);
        Assert.True(Math.Abs(moved.X - was.X) + Math.Abs(moved.Y - was.Y) > 1, $"{moved.Id} moved from {was.X},{was.Y} to {moved.X},{moved.Y}");

    }

    /// <summary>The map shows the city's live vehicles of a frame: their count and time, and each vehicle at its place (north up).</summary>
    private static async Task ExpectLiveVehiclesAsync(IPage page, Doppel.Packs.Mobility.Simulation.TrafficFrame frame, DateTimeOffset day)
    {
        var group = page.GetByTestId("vehicles");
        await Assertions.Expect(page.GetByTestId("live-vehicles")).ToHaveAttributeAsync("data-count", Number(frame.Vehicles.Count));
        await Assertions.Expect(group).ToHaveAttributeAsync("data-source", "live");
        Assert.Equal(day.AddSeconds(frame.Time), DateTimeOffset.Parse((await group.GetAttributeAsync("data-time"))!, CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("vehicle")).ToHaveCountAsync(frame.Vehicles.Count);
        foreach (var vehicle in frame.Vehicles)
        {
            var dot = page.Locator($"[data-testid=vehicle][data-vehicle='{vehicle.Id}']");
            await Assertions.Expect(dot).ToHaveAttributeAsync("cx", Number(Math.Round(vehicle.X, 1)));
        }
    }

    /// <summary>The map shows a frame: its time, one dot per vehicle at the vehicle's place, and each road with vehicles in the colour of their speed.</summary>
    private async Task ExpectFrameAsync(IPage page, JsonNode frame)
    {
        var vehicles = frame["vehicles"]!.AsArray();
        await Assertions.Expect(page.GetByTestId("frame-time")).ToHaveAttributeAsync("data-time", Number((double)frame["time"]!));
        await Assertions.Expect(page.GetByTestId("vehicle")).ToHaveCountAsync(vehicles.Count);
        foreach (var vehicle in vehicles.Take(5))
        {
            var (id, x) = vehicle is JsonArray tuple ? ((string)tuple[0]!, (double)tuple[1]!) : ((string)vehicle!["id"]!, (double)vehicle["x"]!);
            await Assertions.Expect(page.Locator($"[data-testid=vehicle][data-vehicle='{id}']")).ToHaveAttributeAsync("cx", Number(x));
        }
        foreach (var edge in frame["edges"]!.AsArray().Take(10))
        {
            var (id, count, speed) = edge is JsonArray tuple ? ((string)tuple[0]!, (int)tuple[1]!, (double)tuple[2]!) : ((string)edge!["edge"]!, (int)edge["vehicles"]!, (double)edge["meanSpeed"]!);
            if (count > 0 && _network.FindEdge(id) is { IsInternal: false } road)
            {
                var colour = SpeedColors.Hex(SpeedColors.ForRatio(speed / Math.Round(TrafficPlot.SpeedLimit(road), 2)));
                await Assertions.Expect(page.Locator($"[data-testid=road][data-edge='{id}']")).ToHaveAttributeAsync("data-colour", colour);
            }
        }
    }

    private Task PatchAsync(string twinId, string op, string property, JsonNode value) =>
        PatchAsync(twinId, new JsonArray(new JsonObject { ["op"] = op, ["path"] = "/" + property, ["value"] = value }));

    private async Task PatchAsync(string twinId, JsonArray patch)
    {
        using var response = await _server.SendAsync(HttpMethod.Patch, $"/digitaltwins/{twinId}?api-version={ServerFixture.ApiVersion}", patch.ToJsonString(), "application/json-patch+json");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The live replay's device link over a real MQTT client: telemetry on the convention topic.</summary>
    private sealed class MqttLink(IMqttClient client) : IDeviceLink
    {
        public async Task PublishAsync(string twinId, DeviceMessageKind kind, JsonObject payload, CancellationToken ct)
        {
            var result = await client.PublishAsync($"doppel/twins/{twinId}/{(kind == DeviceMessageKind.Telemetry ? "telemetry" : "properties")}", payload.ToJsonString());
            Assert.True(result.IsSuccess, $"{twinId}: {result.ReasonCode} {result.ReasonString}");
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static string Number(string text) => Number(double.Parse(text, CultureInfo.InvariantCulture));

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
