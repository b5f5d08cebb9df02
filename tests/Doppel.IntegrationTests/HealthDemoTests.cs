using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>
/// <c>doppel demo health</c>, one command: the health sample loaded, three virtual patients sending their pump doses,
/// meals and CGM readings over MQTT from a day back at the demo's speed, and the live twin writing each patient's
/// estimate and forecasts as they come.
/// </summary>
public sealed class HealthDemoTests
{
    [Fact]
    public async Task The_health_demo_sends_each_patients_readings_over_MQTT_and_the_live_twin_forecasts_them()
    {
        // When the demo runs at 3000 minutes a second (ten readings a second per patient)
        await using var demo = await DemoProcess.StartAsync("health", "--data", Repository.TempFolder(), "--urls", "http://127.0.0.1:0", "--mqtt-port", "0", "--speed", "3000", "--seed", "5");
        using var client = new HttpClient { BaseAddress = demo.Api, Timeout = TimeSpan.FromMinutes(1) };
        Assert.Contains(demo.Banner, l => l.Contains("3 virtual patients (patient-adolescent-1: adolescent#001, patient-adult-1: adult#001, patient-child-1: child#001)", StringComparison.Ordinal));

        // Then every patient gets an estimate with forecasts from the readings of its CGM, a day back
        foreach (var id in new[] { "patient-adult-1", "patient-adolescent-1", "patient-child-1" })
        {
            var twin = await Poll.UntilAsync(async () => JsonNode.Parse(await client.GetStringAsync($"/digitaltwins/{id}?api-version=2023-10-31"))!,
                t => t["glucoseForecast60"] is not null, $"{id}'s first forecast");
            Assert.True((double)twin["glucoseForecast30Lower"]! <= (double)twin["glucoseForecast30Upper"]!);
            Assert.InRange(DateTimeOffset.Parse((string)twin["estimatedAt"]!, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddDays(-1.01), DateTimeOffset.UtcNow);
        }
        var readings = JsonNode.Parse(await client.GetStringAsync("/doppel/history/twins/cgm-adult-1?names=glucose&from=2000-01-01T00:00:00Z&max-items-per-page=3"))!["value"]!.AsArray();
        Assert.Equal(5, (DateTimeOffset.Parse((string)readings[1]!["time"]!, CultureInfo.InvariantCulture) - DateTimeOffset.Parse((string)readings[0]!["time"]!, CultureInfo.InvariantCulture)).TotalMinutes);
        var basal = JsonNode.Parse(await client.GetStringAsync("/doppel/history/twins/pump-adult-1?names=basal&from=2000-01-01T00:00:00Z"))!["value"]!.AsArray();
        Assert.NotEmpty(basal);
        Assert.All(basal, p => Assert.True((double)p!["value"]! > 0));

        // And Ctrl+C stops it cleanly
        var (code, rest, errors) = await demo.InterruptAsync();
        Assert.True(code == 130, $"exit {code}\n{rest}\n{errors}");
        Assert.DoesNotContain("Exception", errors, StringComparison.Ordinal);
    }
}
