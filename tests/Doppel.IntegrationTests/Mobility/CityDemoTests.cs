using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests.Mobility;

/// <summary>
/// <c>doppel demo city</c>, one command: the city sample loaded, its recorded day's detector counts and signal states
/// sent over MQTT from yesterday's midnight at the demo's speed, and the live twin writing every road's flow as periods come.
/// </summary>
public sealed class CityDemoTests
{
    [Fact]
    public async Task The_city_demo_replays_the_detectors_over_MQTT_and_the_live_twin_estimates_every_road()
    {
        // When the demo runs at 600 city minutes a second (two periods a second)
        await using var demo = await DemoProcess.StartAsync("city", "--data", Repository.TempFolder(), "--urls", "http://127.0.0.1:0", "--mqtt-port", "0", "--speed", "600", "--seed", "5");
        using var client = new HttpClient { BaseAddress = demo.Api, Timeout = TimeSpan.FromMinutes(1) };
        Assert.Contains(demo.Banner, l => l.Contains("32 detectors of city replay a recorded day from yesterday's midnight", StringComparison.Ordinal));

        // Then the city gets estimates from yesterday's periods on, and every road a flow inside its interval
        var city = await Poll.UntilAsync(async () => JsonNode.Parse(await client.GetStringAsync("/digitaltwins/city?api-version=2023-10-31"))!,
            t => t["estimatedAt"] is not null, "the city's first estimate");
        Assert.Equal(DateTime.UtcNow.Date.AddDays(-1), DateTimeOffset.Parse((string)city["estimatedAt"]!, CultureInfo.InvariantCulture).UtcDateTime.Date);
        var roads = JsonNode.Parse(await (await client.PostAsync("/query?api-version=2023-10-31", new StringContent(
            """{"query":"SELECT $dtId, flow, flowLower, flowUpper FROM DIGITALTWINS WHERE IS_OF_MODEL('dtmi:doppel:mobility:Road;1') AND IS_DEFINED(flow)"}""",
            System.Text.Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync())!["value"]!.AsArray();
        Assert.Equal(48, roads.Count);
        Assert.All(roads, r => Assert.True((double)r!["flowLower"]! <= (double)r["flow"]! && (double)r["flow"]! <= (double)r["flowUpper"]!));
        var counts = JsonNode.Parse(await client.GetStringAsync("/doppel/history/twins/detector-det_B1C1_0?names=count&from=2000-01-01T00:00:00Z&max-items-per-page=3"))!["value"]!.AsArray();
        Assert.Equal(5, (DateTimeOffset.Parse((string)counts[1]!["time"]!, CultureInfo.InvariantCulture) - DateTimeOffset.Parse((string)counts[0]!["time"]!, CultureInfo.InvariantCulture)).TotalMinutes);
        var signal = JsonNode.Parse(await client.GetStringAsync("/digitaltwins/signal-C2?api-version=2023-10-31"))!;
        Assert.NotNull(signal["$metadata"]!["state"]!["lastUpdateTime"]);
        // And the day's vehicles come as the city's telemetry, a frame at each period's end while the replay catches up
        var vehicles = await Poll.UntilAsync(async () => JsonNode.Parse(await client.GetStringAsync("/doppel/twins/city/live"))!["telemetry"]!["vehicles"],
            v => v?["value"] is JsonArray { Count: > 0 }, "the city's vehicles");
        var vehicle = vehicles!["value"]![0]!;
        Assert.All(new[] { "x", "y", "angle", "speed" }, name => Assert.True(vehicle[name] is JsonValue, $"{name} of {vehicle.ToJsonString()}"));
        Assert.StartsWith("v", (string)vehicle["id"]!, StringComparison.Ordinal);
        var frames = JsonNode.Parse(await client.GetStringAsync("/doppel/history/twins/city?names=vehicles&from=2000-01-01T00:00:00Z&max-items-per-page=2"))!["value"]!.AsArray();
        Assert.Equal(5, (DateTimeOffset.Parse((string)frames[1]!["time"]!, CultureInfo.InvariantCulture) - DateTimeOffset.Parse((string)frames[0]!["time"]!, CultureInfo.InvariantCulture)).TotalMinutes);

        // And Ctrl+C stops it cleanly
        var (code, rest, errors) = await demo.InterruptAsync();
        Assert.True(code == 130, $"exit {code}\n{rest}\n{errors}");
        Assert.DoesNotContain("Exception", errors, StringComparison.Ordinal);
    }
}
