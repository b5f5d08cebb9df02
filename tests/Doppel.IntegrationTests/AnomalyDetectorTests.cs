using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>
/// Live anomaly detectors through the real server: readings published over MQTT are scored, the score lands in history
/// as telemetry, an outlier raises an alert carrying the detector's reason, and a normal reading resolves it.
/// </summary>
public sealed class AnomalyDetectorTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly string _ns = "dtmi:anomaly:t" + Guid.NewGuid().ToString("N")[..8];

    private string Id(string name) => $"{name}-{_ns[^8..]}";

    public Task InitializeAsync() => server.PutModelsAsync(Models(_ns));

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Models(string ns) => $$"""
        [{"@context":"dtmi:dtdl:context;3","@id":"{{ns}}:Pump;1","@type":"Interface",
          "contents":[{"@type":"Telemetry","name":"temperature","schema":"double"}]},
         {"@context":"dtmi:dtdl:context;3","@id":"{{ns}}:BigPump;1","@type":"Interface","extends":"{{ns}}:Pump;1"}]
        """;

    /// <summary>Readings around 20 with a small deterministic wobble.</summary>
    private static string Normal(int i) => string.Create(CultureInfo.InvariantCulture, $$"""{"temperature":{{20 + (i % 5) * 0.1:0.0}}}""");

    [Fact]
    public async Task Readings_over_MQTT_are_scored_into_history_and_an_outlier_raises_an_alert_with_the_reason_that_resolves_when_the_score_falls_back()
    {
        // Given a detector on a model, and a twin of a subtype of it
        var pump = Id("pump");
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{pump}", $$$"""{"$metadata":{"$model":"{{{_ns}}}:BigPump;1"}}""");
        var detector = Id("hot");
        using (var put = await server.SendAsync(HttpMethod.Put, $"/doppel/detectors/{detector}",
            $$"""{"detector":"mad","scope":{"model":"{{_ns}}:Pump;1"},"property":"temperature","threshold":0.9,"severity":"major"}"""))
        {
            Assert.Equal(201, (int)put.StatusCode);
        }
        await using var stream = await SseStream.OpenAsync(server.Http, $"?twinId={pump}&types=alert");
        using var device = await Mqtt.ConnectAsync(server.Server.MqttPort!.Value, "dev-" + pump);

        // When normal readings, then an outlier, arrive over MQTT
        const int normal = 40;
        for (var i = 0; i < normal; i++)
        {
            await device.PublishAsync($"doppel/twins/{pump}/telemetry", Normal(i));
        }
        await device.PublishAsync($"doppel/twins/{pump}/telemetry", """{"temperature":60}""");

        // Then an alert is raised with the detector's reason
        var raised = await stream.NextAsync();
        Assert.Equal("doppel.alert.raised", (string)raised.Json["type"]!);
        var alert = raised.Json["data"]!;
        Assert.Equal($"detector:{detector}", (string)alert["ruleId"]!);
        Assert.Equal("major", (string)alert["severity"]!);
        Assert.Equal(60.0, (double)alert["value"]!);
        Assert.Contains("MADs above the median 20.2", (string)alert["message"]!, StringComparison.Ordinal);

        // And every reading's score is in history, the outlier's at or above the threshold
        var history = await server.SendOkAsync(HttpMethod.Get, $"/doppel/history/twins/{pump}?names=temperatureAnomalyScore");
        var scores = history["value"]!.AsArray().Select(p => (double)p!["value"]!).ToList();
        Assert.Equal(normal + 1, scores.Count);
        Assert.All(scores[..^1], s => Assert.True(s < 0.9, $"a normal reading scored {s}"));
        Assert.True(scores[^1] >= 0.9, $"the outlier scored {scores[^1]}");
        var open = await server.SendOkAsync(HttpMethod.Get, $"/doppel/alerts?state=open&twinId={pump}");
        Assert.Equal([(string)alert["id"]!], open["value"]!.AsArray().Select(a => (string)a!["id"]!));

        // It is acknowledged as a rule's alert is
        var acknowledged = await server.SendOkAsync(HttpMethod.Post, $"/doppel/alerts/{alert["id"]}/ack", """{"note":"looking"}""");
        Assert.Equal("acknowledged", (string)acknowledged["state"]!);
        Assert.Equal("doppel.alert.acknowledged", (string)(await stream.NextAsync()).Json["type"]!);

        // When the readings return to normal, the alert resolves as cleared
        await device.PublishAsync($"doppel/twins/{pump}/telemetry", Normal(1));
        var resolved = await stream.NextAsync();
        Assert.Equal("doppel.alert.resolved", (string)resolved.Json["type"]!);
        Assert.Equal("cleared", (string)resolved.Json["data"]!["resolved"]!["reason"]!);
        Assert.Empty((await server.SendOkAsync(HttpMethod.Get, $"/doppel/alerts?state=open&twinId={pump}"))["value"]!.AsArray());
        var stored = await server.SendOkAsync(HttpMethod.Get, $"/doppel/alerts/{alert["id"]}");
        Assert.Equal(["raised", "acknowledged", "resolved"], stored["transitions"]!.AsArray().Select(t => (string)t!["state"]!));
    }

    [Fact]
    public async Task A_detector_is_listed_read_put_back_and_deleted_and_a_bad_one_is_refused_naming_the_member()
    {
        var id = Id("crud");
        var created = await server.SendOkAsync(HttpMethod.Put, $"/doppel/detectors/{id}",
            $$"""{"scope":{"query":"SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL('{{_ns}}:Pump;1')"},"property":"temperature"}""");
        Assert.Equal(("ensemble", 0.9, "warning", "temperatureAnomalyScore"),
            ((string)created["detector"]!, (double)created["threshold"]!, (string)created["severity"]!, (string)created["scoreProperty"]!));
        Assert.Contains(id, (await server.SendOkAsync(HttpMethod.Get, "/doppel/detectors"))["value"]!.AsArray().Select(d => (string)d!["id"]!));

        // What GET returns can be put back.
        var read = await server.SendOkAsync(HttpMethod.Get, $"/doppel/detectors/{id}");
        read["threshold"] = 0.95;
        using (var replace = await server.SendAsync(HttpMethod.Put, $"/doppel/detectors/{id}", read.ToJsonString()))
        {
            Assert.Equal(200, (int)replace.StatusCode);
        }
        Assert.Equal(0.95, (double)(await server.SendOkAsync(HttpMethod.Get, $"/doppel/detectors/{id}"))["threshold"]!);

        foreach (var (body, expected) in new[]
        {
            ($$"""{"detector":"madd","scope":{"model":"{{_ns}}:Pump;1"},"property":"temperature"}""", "did you mean"),
            ($$"""{"scope":{"model":"{{_ns}}:Nope;1"},"property":"temperature"}""", "scope.model"),
            ($$"""{"scope":{"model":"{{_ns}}:Pump;1"},"property":"temperature","threshold":2}""", "threshold"),
            ($$$"""{"scope":{"model":"{{{_ns}}}:Pump;1"}}""", "property"),
            ("""{"scope":{"query":"SELECT * FROM"},"property":"temperature"}""", "scope.query"),
        })
        {
            using var bad = await server.SendAsync(HttpMethod.Put, $"/doppel/detectors/{Id("bad")}", body);
            Assert.Equal(400, (int)bad.StatusCode);
            var text = await bad.Content.ReadAsStringAsync();
            Assert.Contains("DetectorInvalid", text, StringComparison.Ordinal);
            Assert.True(text.Contains(expected, StringComparison.Ordinal), text);
        }
        using (var missing = await server.SendAsync(HttpMethod.Get, $"/doppel/detectors/{Id("bad")}"))
        {
            Assert.Equal(404, (int)missing.StatusCode);
        }

        using (var delete = await server.SendAsync(HttpMethod.Delete, $"/doppel/detectors/{id}"))
        {
            Assert.Equal(204, (int)delete.StatusCode);
        }
        using var gone = await server.SendAsync(HttpMethod.Delete, $"/doppel/detectors/{id}");
        Assert.Equal(404, (int)gone.StatusCode);
    }
}

/// <summary>Detectors are kept in the data folder and scoring resumes after a restart.</summary>
public sealed class AnomalyDetectorRestartTests
{
    [Fact]
    public async Task A_detector_survives_a_restart_and_keeps_scoring()
    {
        var folder = Repository.TempFolder();
        const string ns = "dtmi:anomaly:restart";
        var first = new ServerFixture { DataDirectory = folder };
        await first.InitializeAsync();
        JsonNode stored;
        try
        {
            await first.PutModelsAsync($$"""[{"@context":"dtmi:dtdl:context;3","@id":"{{ns}}:Pump;1","@type":"Interface","contents":[{"@type":"Telemetry","name":"flow","schema":"double"}]}]""");
            await first.SendOkAsync(HttpMethod.Put, "/digitaltwins/p", $$$"""{"$metadata":{"$model":"{{{ns}}}:Pump;1"}}""");
            stored = await first.SendOkAsync(HttpMethod.Put, "/doppel/detectors/flow", $$"""{"detector":"ewma","scope":{"model":"{{ns}}:Pump;1"},"property":"flow"}""");
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = new ServerFixture { DataDirectory = folder };
        await second.InitializeAsync();
        try
        {
            Assert.True(JsonNode.DeepEquals(stored, await second.SendOkAsync(HttpMethod.Get, "/doppel/detectors/flow")));
            await using var stream = await SseStream.OpenAsync(second.Http, "?twinId=p&types=telemetry");
            using (var sent = await second.SendAsync(HttpMethod.Post, "/digitaltwins/p/telemetry", """{"flow":3}""", configure: r => r.Headers.Add("Message-Id", "r1")))
            {
                Assert.Equal(204, (int)sent.StatusCode);
            }
            // The reading's own event and its score's (in either order: the score is computed off the ingest path).
            var names = new[] { await stream.NextAsync(), await stream.NextAsync() }.Select(e => string.Join(",", e.Json["data"]!.AsObject().Select(p => p.Key))).Order().ToList();
            Assert.Equal(["flow", "flowAnomalyScore"], names);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }
}
