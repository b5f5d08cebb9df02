using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>
/// <c>doppel demo engines</c>, one command: the sample fleet loaded, the predictor <c>engines</c> assigned to the
/// turbofan model, the C-MAPSS test trajectories replayed over MQTT, and each engine's remaining life and interval
/// written on its twin by the predictor as its cycles arrive.
/// </summary>
public sealed class EngineDemoTests
{
    private const string Model = "dtmi:doppel:foresight:Turbofan;1";

    [Fact]
    public async Task The_engine_demo_replays_the_fleet_over_MQTT_and_the_predictor_writes_each_engines_rul_and_interval()
    {
        // Given a data folder whose registry holds the predictor 'engines' already, as a restarted demo's does (the
        // first run trains it on FD001's 100 training units, which takes minutes; here it is the ten-unit test predictor)
        var data = Repository.TempFolder();
        await using (var serve = await DoppelProcess.ServeAsync(data, "http://127.0.0.1:0"))
        {
            using var http = new HttpClient { BaseAddress = serve.Address("http") };
            using var file = new ByteArrayContent(Turbofans.PredictorFile) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };
            using var uploaded = await http.PutAsync("/doppel/predictors/engines/versions/1", file);
            Assert.True(201 == (int)uploaded.StatusCode, await uploaded.Content.ReadAsStringAsync());
        }

        // When the demo starts on it, 20 cycles a second per engine
        await using var demo = await DemoProcess.StartAsync("engines", "--data", data, "--urls", "http://127.0.0.1:0", "--mqtt-port", "0", "--speed", "20");
        using var client = new HttpClient { BaseAddress = demo.Api, Timeout = TimeSpan.FromMinutes(1) };

        // Then the predictor is assigned to the turbofan model (not trained again), and every engine gets its prediction
        var twin = await Poll.UntilAsync(async () => JsonNode.Parse(await client.GetStringAsync("/digitaltwins/engine-031?api-version=2023-10-31"))!,
            t => t["rul"] is not null, "engine-031's first prediction", TimeSpan.FromMinutes(3));
        var (rul, lower, upper) = ((double)twin["rul"]!, (double)twin["rulLower"]!, (double)twin["rulUpper"]!);
        Assert.True(lower <= rul && rul <= upper, $"rul {rul} outside [{lower}, {upper}]");
        Assert.Equal("engines@1", (string?)twin["rulPredictor"]);
        var predictor = JsonNode.Parse(await client.GetStringAsync("/doppel/predictors/engines"))!;
        Assert.Equal([1], predictor["versions"]!.AsArray().Select(v => (int)v!["version"]!));
        Assert.Contains(predictor["assignments"]!.AsArray(), a => (string?)a!["model"] == Model);
        // The cycles came over MQTT, one message per cycle, in order from the first; and the prediction is in history.
        var cycles = JsonNode.Parse(await client.GetStringAsync("/doppel/history/twins/engine-031?names=cycle&max-items-per-page=5"))!["value"]!.AsArray();
        Assert.Equal([1, 2, 3, 4, 5], cycles.Select(p => (int)p!["value"]!).Take(5));
        var history = JsonNode.Parse(await client.GetStringAsync("/doppel/history/twins/engine-031?names=rul"))!["value"]!.AsArray();
        Assert.NotEmpty(history);

        // And Ctrl+C stops it cleanly
        var (code, rest, errors) = await demo.InterruptAsync();
        Assert.True(code == 130, $"exit {code}\n{rest}\n{errors}");
        Assert.DoesNotContain("Exception", errors, StringComparison.Ordinal);
    }
}
