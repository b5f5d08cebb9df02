using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>Rules and alerts through the real server: a reading published over MQTT raises an alert seen on SSE and a webhook, acknowledged over REST, resolved when readings return to normal.</summary>
public sealed class RuleAlertTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly string _ns = "dtmi:rules:t" + Guid.NewGuid().ToString("N")[..8];
    private WebhookReceiver _webhook = null!;

    private string Id(string name) => $"{name}-{_ns[^8..]}";

    public async Task InitializeAsync()
    {
        _webhook = await WebhookReceiver.StartAsync();
        await server.PutModelsAsync($$"""
            [{"@context":"dtmi:dtdl:context;3","@id":"{{_ns}}:Pump;1","@type":"Interface",
              "contents":[{"@type":"Telemetry","name":"temperature","schema":"double"},
                          {"@type":"Telemetry","name":"outletPressure","schema":"double"},
                          {"@type":"Property","name":"limit","schema":"double","writable":true},
                          {"@type":"Relationship","name":"feeds","target":"{{_ns}}:Pipe;1"}]},
             {"@context":"dtmi:dtdl:context;3","@id":"{{_ns}}:Pipe;1","@type":"Interface",
              "contents":[{"@type":"Property","name":"rating","schema":"double","writable":true}]}]
            """);
    }

    public async Task DisposeAsync() => await _webhook.DisposeAsync();

    private async Task<string> TwinAsync(string name, string model, string properties = "")
    {
        var id = Id(name);
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{id}", $$$"""{"$metadata":{"$model":"{{{_ns}}}:{{{model}}};1"}{{{properties}}}}""");
        return id;
    }

    [Fact]
    public async Task A_violating_reading_over_MQTT_raises_an_alert_on_SSE_and_a_webhook_that_is_acknowledged_and_resolves_with_hysteresis()
    {
        var pump = await TwinAsync("pump", "Pump");
        await server.SendOkAsync(HttpMethod.Put, $"/doppel/endpoints/alerts-{_ns[^8..]}", $$"""{"type":"webhook","url":"{{_webhook.Url}}hooks/alerts"}""");
        await server.SendOkAsync(HttpMethod.Put, $"/eventroutes/alerts-{_ns[^8..]}",
            $$"""{"endpointName":"alerts-{{_ns[^8..]}}","filter":"type = 'doppel.alert.raised' OR type = 'doppel.alert.acknowledged' OR type = 'doppel.alert.resolved'"}""");
        var rule = Id("hot");
        using (var put = await server.SendAsync(HttpMethod.Put, $"/doppel/rules/{rule}", $$"""
            {"scope":{"model":"{{_ns}}:Pump;1"},"condition":"temperature > 90","clear":"temperature < 85",
             "severity":"major","message":"{twinId} runs hot: {value} °C"}
            """))
        {
            Assert.Equal(201, (int)put.StatusCode);
        }
        await using var stream = await SseStream.OpenAsync(server.Http, $"?twinId={pump}&types=alert");
        using var device = await Mqtt.ConnectAsync(server.Server.MqttPort!.Value, "dev-" + pump);

        await device.PublishAsync($"doppel/twins/{pump}/telemetry", """{"temperature":95}""");

        var raised = await stream.NextAsync();
        Assert.Equal("doppel.alert.raised", (string)raised.Json["type"]!);
        Assert.Equal(pump, (string)raised.Json["subject"]!);
        var alert = raised.Json["data"]!;
        Assert.Equal($"{pump} runs hot: 95 °C", (string)alert["message"]!);
        Assert.Equal(95.0, (double)alert["value"]!);
        Assert.Equal("major", (string)alert["severity"]!);
        var id = (string)alert["id"]!;
        var hooked = await _webhook.NextAsync();
        Assert.Equal(("doppel.alert.raised", id), (hooked.Type, (string)hooked.Data["id"]!));

        var open = await server.SendOkAsync(HttpMethod.Get, $"/doppel/alerts?state=open&twinId={pump}");
        Assert.Equal([id], open["value"]!.AsArray().Select(a => (string)a!["id"]!));

        var acknowledged = await server.SendOkAsync(HttpMethod.Post, $"/doppel/alerts/{id}/ack", """{"note":"on it"}""");
        Assert.Equal("acknowledged", (string)acknowledged["state"]!);
        Assert.Equal("on it", (string)acknowledged["acknowledged"]!["note"]!);
        Assert.Equal("doppel.alert.acknowledged", (string)(await stream.NextAsync()).Json["type"]!);
        using (var again = await server.SendAsync(HttpMethod.Post, $"/doppel/alerts/{id}/ack"))
        {
            Assert.Equal(409, (int)again.StatusCode);
            Assert.Contains("AlertNotOpen", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // 88 is below the raise threshold but above the clear one: the alert stays; 80 clears it.
        await device.PublishAsync($"doppel/twins/{pump}/telemetry", """{"temperature":88}""");
        await device.PublishAsync($"doppel/twins/{pump}/telemetry", """{"temperature":80}""");

        var resolved = await stream.NextAsync();
        Assert.Equal("doppel.alert.resolved", (string)resolved.Json["type"]!);
        Assert.Equal("cleared", (string)resolved.Json["data"]!["resolved"]!["reason"]!);
        var stored = await server.SendOkAsync(HttpMethod.Get, $"/doppel/alerts/{id}");
        Assert.Equal(["raised", "acknowledged", "resolved"], stored["transitions"]!.AsArray().Select(t => (string)t!["state"]!));
        Assert.Equal(["doppel.alert.acknowledged", "doppel.alert.resolved"], [(await _webhook.NextAsync()).Type, (await _webhook.NextAsync()).Type]);
        Assert.Empty((await server.SendOkAsync(HttpMethod.Get, $"/doppel/alerts?state=open&twinId={pump}"))["value"]!.AsArray());
    }

    [Fact]
    public async Task A_rule_is_put_as_YAML_listed_read_replaced_and_deleted()
    {
        var rule = Id("yaml");
        using (var put = await server.SendAsync(HttpMethod.Put, $"/doppel/rules/{rule}", $"""
            scope:
              model: {_ns}:Pump;1
            condition: AVG(temperature, '10m') > 70
            for: 2m
            severity: warning
            message: "{"{twinId}"} averages {"{value}"}"
            """, "application/yaml"))
        {
            Assert.Equal(201, (int)put.StatusCode);
        }
        var read = await server.SendOkAsync(HttpMethod.Get, $"/doppel/rules/{rule}");
        Assert.Equal(("AVG(temperature, '10m') > 70", "2m", "warning"), ((string)read["condition"]!, (string)read["for"]!, (string)read["severity"]!));
        Assert.Contains(rule, (await server.SendOkAsync(HttpMethod.Get, "/doppel/rules"))["value"]!.AsArray().Select(r => (string)r!["id"]!));

        // What GET returns can be put back.
        read["severity"] = "critical";
        using (var replace = await server.SendAsync(HttpMethod.Put, $"/doppel/rules/{rule}", read.ToJsonString()))
        {
            Assert.Equal(200, (int)replace.StatusCode);
        }
        Assert.Equal("critical", (string)(await server.SendOkAsync(HttpMethod.Get, $"/doppel/rules/{rule}"))["severity"]!);

        using (var delete = await server.SendAsync(HttpMethod.Delete, $"/doppel/rules/{rule}"))
        {
            Assert.Equal(204, (int)delete.StatusCode);
        }
        using var gone = await server.SendAsync(HttpMethod.Get, $"/doppel/rules/{rule}");
        Assert.Equal(404, (int)gone.StatusCode);
        Assert.Contains("RuleNotFound", await gone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"scope":{"model":"dtmi:x:P;1"},"condition":"temperature >> 90","severity":"major","message":"m"}""", "condition: line 1, column 14")]
    [InlineData("""{"scope":{"model":"dtmi:x:P;1"},"condition":"temperature > 90 AND\nAVG(temperature, '10x') > 1","severity":"major","message":"m"}""", "condition: line 2, column 18")]
    [InlineData("""{"scope":{"model":"dtmi:x:P;1"},"condition":"temperature > 90","clear":"temperature <","severity":"major","message":"m"}""", "clear: line 1, column 14")]
    [InlineData("""{"scope":{"query":"SELECT * FROM DIGITALTWINS T WHERE T.x = "},"condition":"x > 1","severity":"major","message":"m"}""", "scope.query: line 1, column")]
    [InlineData("""{"scope":{"model":"dtmi:x:P;1"},"condition":"t > 1","severity":"huge","message":"m"}""", "'huge' is not a severity")]
    [InlineData("""{"scope":{"model":"dtmi:x:P;1"},"condition":"t > 1","severity":"major","mesage":"m"}""", "mesage")]
    [InlineData("""{"scope":{"model":"dtmi:x:P;1"},"condition":"t > 1","severity":"major","message":"m","for":"soon"}""", "for")]
    public async Task A_bad_rule_is_refused_with_the_field_and_where_in_it(string body, string expected)
    {
        using var response = await server.SendAsync(HttpMethod.Put, $"/doppel/rules/{Id("bad")}", body);
        var error = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("RuleInvalid", (string)error["code"]!);
        Assert.Contains(expected, (string)error["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pump_whose_outlet_pressure_exceeds_its_pipe_rating_raises_and_clears_when_the_rating_is_raised()
    {
        var pipe = await TwinAsync("pipe", "Pipe", ""","rating":10""");
        var pump = await TwinAsync("pump-x", "Pump");
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{pump}/relationships/r1", $$"""{"$relationshipName":"feeds","$targetId":"{{pipe}}"}""");
        await server.SendOkAsync(HttpMethod.Put, $"/doppel/rules/{Id("over")}", $$"""
            {"scope":{"query":"SELECT * FROM DIGITALTWINS T WHERE T.$dtId = '{{pump}}'"},
             "condition":"JOIN P RELATED T.feeds WHERE T.outletPressure > P.rating","severity":"critical","message":"{twinId} over its pipe's rating"}
            """);
        await using var stream = await SseStream.OpenAsync(server.Http, $"?twinId={pump}&types=alert");

        using (var sent = await server.SendAsync(HttpMethod.Post, $"/digitaltwins/{pump}/telemetry", """{"outletPressure":12}""", configure: r => r.Headers.Add("Message-Id", "m1")))
        {
            Assert.True(sent.IsSuccessStatusCode);
        }
        Assert.Equal("doppel.alert.raised", (string)(await stream.NextAsync()).Json["type"]!);

        // Raising the pipe's rating re-evaluates the pump that feeds it.
        await server.SendOkAsync(HttpMethod.Patch, $"/digitaltwins/{pipe}", """[{"op":"replace","path":"/rating","value":20}]""", "application/json-patch+json");
        Assert.Equal("doppel.alert.resolved", (string)(await stream.NextAsync()).Json["type"]!);
    }

    [Fact]
    public async Task After_a_restart_an_open_alert_is_loaded_and_clears_with_its_rule()
    {
        var data = Repository.TempFolder();
        var options = new Doppel.Server.DoppelServerOptions { DataDirectory = data, Urls = "http://127.0.0.1:0", MqttPort = null };
        string id;
        await using (var first = await Doppel.Server.DoppelServer.StartAsync(options))
        {
            using var http = Client(first);
            await Ok(http, HttpMethod.Post, "/models", $$"""[{"@context":"dtmi:dtdl:context;3","@id":"{{_ns}}:Tank;1","@type":"Interface","contents":[{"@type":"Telemetry","name":"level","schema":"double"}]}]""");
            await Ok(http, HttpMethod.Put, "/digitaltwins/tank", $$$"""{"$metadata":{"$model":"{{{_ns}}}:Tank;1"}}""");
            await Ok(http, HttpMethod.Put, "/doppel/rules/full", $$"""{"scope":{"model":"{{_ns}}:Tank;1"},"condition":"level > 95","clear":"level < 90","severity":"major","message":"full"}""");
            await Ok(http, HttpMethod.Post, "/digitaltwins/tank/telemetry", """{"level":99}""", "m1");
            var open = await Poll.UntilAsync(async () => (await Ok(http, HttpMethod.Get, "/doppel/alerts?state=open"))["value"]!.AsArray(), a => a.Count == 1, "the alert to be stored");
            id = (string)open[0]!["id"]!;
        }

        await using var second = await Doppel.Server.DoppelServer.StartAsync(options);
        using var client = Client(second);
        Assert.Equal(1, second.Runtime.Rules!.OpenAlerts);
        await Ok(client, HttpMethod.Post, "/digitaltwins/tank/telemetry", """{"level":92}""", "m2");
        Assert.Equal("raised", (string)(await Ok(client, HttpMethod.Get, $"/doppel/alerts/{id}"))["state"]!);
        await Ok(client, HttpMethod.Post, "/digitaltwins/tank/telemetry", """{"level":50}""", "m3");
        var resolved = await Poll.UntilAsync(() => Ok(client, HttpMethod.Get, $"/doppel/alerts/{id}"), a => (string)a["state"]! == "resolved", "the alert to resolve");
        Assert.Equal("cleared", (string)resolved["resolved"]!["reason"]!);
    }

    private static HttpClient Client(Doppel.Server.DoppelServer server) => new() { BaseAddress = server.HttpAddress };

    private static async Task<System.Text.Json.Nodes.JsonNode> Ok(HttpClient http, HttpMethod method, string path, string? body = null, string? messageId = null)
    {
        using var request = new HttpRequestMessage(method, path.StartsWith("/doppel", StringComparison.Ordinal) ? path : path + "?api-version=" + ServerFixture.ApiVersion);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }
        if (messageId is not null)
        {
            request.Headers.Add("Message-Id", messageId);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} -> {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new System.Text.Json.Nodes.JsonObject() : System.Text.Json.Nodes.JsonNode.Parse(text)!;
    }
}
