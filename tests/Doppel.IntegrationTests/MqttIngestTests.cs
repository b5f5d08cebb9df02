using System.Text.Json.Nodes;
using Doppel.Events;
using Doppel.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Doppel.IntegrationTests;

/// <summary>Devices over MQTT against the embedded broker: convention topics, mappings, de-duplication, ordering, dead letters, sessions.</summary>
public sealed class MqttIngestTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly string _ns = "dtmi:mqtt:t" + Guid.NewGuid().ToString("N")[..8];

    private int Port => server.Server.MqttPort!.Value;

    private string Id(string name) => $"{name}-{_ns[^8..]}";

    public async Task InitializeAsync()
    {
        await server.PutModelsAsync($$"""
            [{"@context":"dtmi:dtdl:context;2","@id":"{{_ns}}:Machine;1","@type":"Interface",
              "contents":[{"@type":["Telemetry","Temperature"],"name":"temperature","schema":"double","unit":"degreeCelsius"},
                          {"@type":"Telemetry","name":"state","schema":"string"},
                          {"@type":"Property","name":"setpoint","schema":"double","writable":true},
                          {"@type":"Property","name":"mode","schema":"string","writable":true}]}]
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> MachineAsync(string name)
    {
        var id = Id(name);
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{id}", $$$"""{"$metadata":{"$model":"{{{_ns}}}:Machine;1"}}""");
        return id;
    }

    private async Task<JsonArray> HistoryAsync(string id, string names = "") =>
        (await server.SendOkAsync(HttpMethod.Get, $"/doppel/history/twins/{id}?from=2000-01-01T00:00:00Z{(names.Length > 0 ? "&names=" + names : "")}"))["value"]!.AsArray();

    private async Task<JsonArray> DeadLettersAsync(string id) =>
        (await server.SendOkAsync(HttpMethod.Get, $"/doppel/deadletters?twinId={id}"))["value"]!.AsArray();

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_QoS1_publish_on_the_convention_topic_is_durable_in_history_and_live_state_when_acknowledged(MqttProtocolVersion version)
    {
        var id = await MachineAsync("qos1-" + version);
        using var client = await Mqtt.ConnectAsync(Port, "dev-" + id, version);

        var ack = await client.PublishAsync($"doppel/twins/{id}/telemetry", """{"temperature":21.5,"state":"run","$sourceTime":"2026-05-01T10:00:00Z"}""");

        Assert.True(ack.IsSuccess, ack.ReasonString);
        // No polling: the PUBACK came after the commit.
        Assert.Equal(["temperature=21.5@2026-05-01T10:00:00.0000000Z", "state=\"run\"@2026-05-01T10:00:00.0000000Z"],
            (await HistoryAsync(id)).Select(p => $"{p!["name"]}={p["value"]!.ToJsonString()}@{p["time"]}"));
        var live = await server.SendOkAsync(HttpMethod.Get, $"/doppel/twins/{id}/live");
        Assert.Equal(21.5, (double)live["telemetry"]!["temperature"]!["value"]!);
    }

    [Fact]
    public async Task A_QoS0_publish_is_ingested_and_fans_out_as_a_telemetry_event()
    {
        var id = await MachineAsync("qos0");
        using var events = server.Server.Runtime.Events.Subscribe(e => e.TwinId == id);
        using var client = await Mqtt.ConnectAsync(Port, "dev-" + id);

        await client.PublishAsync($"doppel/twins/{id}/telemetry", """{"temperature":30}""", MqttQualityOfServiceLevel.AtMostOnce);

        var e = await events.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(TwinEventTypes.Telemetry, e.Type);
        Assert.Equal("""{"temperature":30}""", e.DataText());
        Assert.Single(await HistoryAsync(id));
    }

    [Fact]
    public async Task A_repeated_Message_Id_and_a_DUP_redelivery_are_stored_once()
    {
        var id = await MachineAsync("dedup");
        using var client = await Mqtt.ConnectAsync(Port, "dev-" + id);
        var topic = $"doppel/twins/{id}/telemetry";

        await client.PublishAsync(topic, """{"temperature":1}""", messageId: "m-1");
        await client.PublishAsync(topic, """{"temperature":1}""", messageId: "m-1");           // retried by the device
        await client.PublishAsync(topic, """{"temperature":2,"$sourceTime":"2026-05-01T00:00:00Z"}""");
        await client.PublishAsync(topic, """{"temperature":2,"$sourceTime":"2026-05-01T00:00:00Z"}""", dup: true); // MQTT redelivery
        await client.PublishAsync(topic, """{"temperature":2,"$sourceTime":"2026-05-01T00:00:00Z"}""");           // a genuinely new, identical reading

        Assert.Equal([2.0, 2.0, 1.0], (await HistoryAsync(id)).Select(p => (double)p!["value"]!));
    }

    [Fact]
    public async Task Reported_properties_never_move_state_backwards_but_every_value_is_in_history()
    {
        var id = await MachineAsync("props");
        using var client = await Mqtt.ConnectAsync(Port, "dev-" + id);
        var topic = $"doppel/twins/{id}/properties";

        await client.PublishAsync(topic, """{"setpoint":50,"mode":"auto","$sourceTime":"2026-05-01T12:00:00Z"}""");
        await client.PublishAsync(topic, """{"setpoint":40,"$sourceTime":"2026-05-01T11:00:00Z"}""");   // late
        await client.PublishAsync(topic, """{"mode":"manual","$sourceTime":"2026-05-01T13:00:00Z"}""");

        var twin = await server.SendOkAsync(HttpMethod.Get, $"/digitaltwins/{id}");
        Assert.Equal(50.0, (double)twin["setpoint"]!);
        Assert.Equal("manual", (string?)twin["mode"]);
        Assert.Equal("2026-05-01T12:00:00Z", ((DateTimeOffset)twin["$metadata"]!["setpoint"]!["sourceTime"]!).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["setpoint=40@11", "setpoint=50@12", "mode=\"auto\"@12", "mode=\"manual\"@13"],
            (await HistoryAsync(id, "setpoint,mode")).Select(p => $"{p!["name"]}={p["value"]!.ToJsonString()}@{((DateTimeOffset)p["time"]!).Hour}"));
    }

    [Fact]
    public async Task Bad_messages_go_to_the_dead_letter_store_with_their_reason_and_the_pipeline_goes_on()
    {
        var id = await MachineAsync("bad");
        using var client = await Mqtt.ConnectAsync(Port, "dev-" + id);
        var topic = $"doppel/twins/{id}/telemetry";

        var malformed = await client.PublishAsync(topic, """{"temperature":""");
        var wrongType = await client.PublishAsync(topic, """{"temperature":"hot"}""");
        var unknownName = await client.PublishAsync(topic, """{"pressure":1}""");
        var oversized = await client.PublishAsync(topic, "{\"state\":\"" + new string('x', 300 * 1024) + "\"}");
        var unknownTwin = await client.PublishAsync($"doppel/twins/nobody-{id}/telemetry", """{"temperature":1}""");
        var badTopic = await client.PublishAsync($"doppel/twins/{id}/nonsense", """{"temperature":1}""");
        var good = await client.PublishAsync(topic, """{"temperature":5}""");

        Assert.All([malformed, wrongType, unknownName, oversized, unknownTwin, badTopic], r => Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, r.ReasonCode));
        Assert.True(good.IsSuccess);
        Assert.Equal([5.0], (await HistoryAsync(id)).Select(p => (double)p!["value"]!));
        var letters = await DeadLettersAsync(id);
        Assert.Equal(["UnmappedTopic", "PayloadTooLarge", "ValidationFailed", "ValidationFailed", "MalformedJson"], letters.Select(l => (string?)l!["reason"]));
        Assert.Contains("'pressure' is not a telemetry", (string?)letters[2]!["message"]);
        Assert.Equal("""{"temperature":""", (string?)letters[4]!["payload"]);
        var unknown = await server.SendOkAsync(HttpMethod.Get, $"/doppel/deadletters?reason=UnknownTwin&twinId=nobody-{id}");
        Assert.Equal("dev-" + id, (string?)unknown["value"]![0]!["clientId"]);
        using var invalid = await server.SendAsync(HttpMethod.Get, "/doppel/deadletters?reason=Nope");
        Assert.Equal(400, (int)invalid.StatusCode);
    }

    [Fact]
    public async Task A_YAML_mapping_binds_topic_captures_json_paths_units_and_payload_timestamps()
    {
        var id = await MachineAsync("press7");
        var line = id[..^9];
        var suffix = _ns[^8..];
        await server.SendOkAsync(HttpMethod.Put, $"/doppel/mappings/line-{suffix}", $$"""
            topic: factory-{{suffix}}/{line}/{machine}/data
            twinId: "{machine}-{{suffix}}"
            kind: telemetry
            timestamp: $.ts
            messageId: $.seq
            values:
              temperature:
                path: $.readings.tempF
                unit: degreeFahrenheit
              state: $.status
            """, "application/yaml");
        using var client = await Mqtt.ConnectAsync(Port, "plc-" + id);

        var ack = await client.PublishAsync($"factory-{suffix}/{line}/press7/data", """{"ts":1778000000000,"seq":17,"status":"run","readings":{"tempF":212}}""");
        await client.PublishAsync($"factory-{suffix}/{line}/press7/data", """{"ts":1778000000000,"seq":17,"status":"run","readings":{"tempF":212}}""");
        var unmatched = await client.PublishAsync($"factory-{suffix}/{line}/press7/data", """{"ts":1778000000000,"seq":18}""");

        Assert.True(ack.IsSuccess, ack.ReasonString);
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, unmatched.ReasonCode);
        var points = await HistoryAsync(id);
        Assert.Equal(["temperature=100", "state=\"run\""], points.Select(p => $"{p!["name"]}={p["value"]!.ToJsonString()}"));
        Assert.All(points, p => Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1778000000000), (DateTimeOffset)p!["time"]!));
        var mapping = await server.SendOkAsync(HttpMethod.Get, $"/doppel/mappings/line-{suffix}");
        Assert.Equal("degreeFahrenheit", (string?)mapping["values"]!["temperature"]!["unit"]);
    }

    [Fact]
    public async Task Malformed_mappings_are_refused_with_the_field_and_the_reason()
    {
        async Task<string> RefusedAsync(string body, string contentType = "application/json")
        {
            using var response = await server.SendAsync(HttpMethod.Put, "/doppel/mappings/bad", body, contentType);
            Assert.Equal(400, (int)response.StatusCode);
            return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]!;
        }

        Assert.Contains("'{plant}' is not a capture", await RefusedAsync("""{"topic":"a/{line}/b","twinId":"{plant}"}"""));
        Assert.Contains("values.t.unit", await RefusedAsync("""{"topic":"a/{line}","twinId":"{line}","values":{"t":{"path":"$.t","unit":"furlong"}}}"""));
        Assert.Contains("position 3", await RefusedAsync("""{"topic":"a/{line}","twinId":"{line}","timestamp":"$.[x"}"""));
        Assert.Contains("unknown key 'topics'; did you mean 'topic'?", await RefusedAsync("""{"topics":"a"}"""));
        Assert.Contains("values.t: unknown key 'unti'; did you mean 'unit'?", await RefusedAsync("""{"topic":"a/{line}","twinId":"{line}","values":{"t":{"path":"$.t","unti":"degreeCelsius"}}}"""));
        Assert.Contains("values.t: unknown key 'colour'; expected one of 'path', 'unit'.", await RefusedAsync("""{"topic":"a/{line}","twinId":"{line}","values":{"t":{"path":"$.t","colour":"red"}}}"""));
        // YAML: the line of the misspelled key, as written in the file.
        Assert.Contains("Mapping 'bad': values.t (line 6): unknown key 'unti'; did you mean 'unit'?", await RefusedAsync("""
            topic: a/{line}
            twinId: "{line}"
            values:
              t:
                path: $.t
                unti: degreeCelsius
            """, "application/yaml"));
        Assert.Contains("Mapping 'bad': line 2: unknown key 'twinID'; did you mean 'twinId'?", await RefusedAsync("topic: a/{line}\ntwinID: \"{line}\"\n", "application/yaml"));
        Assert.Contains("values.t.unit (line 4) '\"furlong\"' is not a DTDL unit", await RefusedAsync("topic: a/{line}\ntwinId: \"{line}\"\nvalues:\n  t: { path: $.t, unit: furlong }\n", "application/yaml"));
        Assert.Contains("line 3", await RefusedAsync("topic: a/{line}\ntwinId: x\ntopic: b\n", "application/yaml"));
        Assert.Contains("line 2", await RefusedAsync("topic: a\n  - : [", "application/yaml"));
        using var missing = await server.SendAsync(HttpMethod.Get, "/doppel/mappings/bad");
        Assert.Equal(404, (int)missing.StatusCode);
    }

    [Fact]
    public async Task A_persistent_session_receives_QoS1_messages_published_while_it_was_away()
    {
        var id = await MachineAsync("session");
        var topic = $"doppel/twins/{id}/telemetry";
        var subscriberId = "watcher-" + id;
        using (var subscriber = await Mqtt.ConnectAsync(Port, subscriberId, cleanSession: false))
        {
            await subscriber.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);
            await subscriber.DisconnectAsync();
        }
        using var device = await Mqtt.ConnectAsync(Port, "dev-" + id);
        await device.PublishAsync(topic, """{"temperature":7}""");

        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var back = new MqttClientFactory().CreateMqttClient();
        back.ApplicationMessageReceivedAsync += e =>
        {
            received.TrySetResult(e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        await back.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithClientId(subscriberId)
            .WithProtocolVersion(MqttProtocolVersion.V500).WithCleanSession(false).WithSessionExpiryInterval(3600).Build());

        Assert.Equal("""{"temperature":7}""", await received.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_device_that_reconnects_goes_on_publishing()
    {
        var id = await MachineAsync("reconnect");
        var topic = $"doppel/twins/{id}/telemetry";
        var client = await Mqtt.ConnectAsync(Port, "dev-" + id);
        await client.PublishAsync(topic, """{"temperature":1,"$sourceTime":"2026-05-01T00:00:00Z"}""");
        await client.DisconnectAsync();
        client.Dispose();
        // Reconnecting under the same id while the broker still tears the old connection down gets the new one dropped.
        await server.Server.Services.GetRequiredService<Doppel.Server.Mqtt.EmbeddedBroker>().WaitUntilDisconnectedAsync("dev-" + id).WaitAsync(TimeSpan.FromSeconds(30));

        using var again = await Mqtt.ConnectAsync(Port, "dev-" + id);
        await again.PublishAsync(topic, """{"temperature":2,"$sourceTime":"2026-05-01T00:01:00Z"}""");

        Assert.Equal([1.0, 2.0], (await HistoryAsync(id)).Select(p => (double)p!["value"]!));
    }

    [Fact]
    public async Task Bulk_NDJSON_backfills_history_and_reports_each_bad_line()
    {
        var id = await MachineAsync("bulk");
        var lines = string.Join("\n", Enumerable.Range(0, 500).Select(i =>
            $$$"""{"twinId":"{{{id}}}","time":"2026-04-01T00:{{{i / 60:D2}}}:{{{i % 60:D2}}}Z","messageId":"b{{{i}}}","values":{"temperature":{{{i}}}}}"""));
        var body = lines + "\n" + $$$"""{"twinId":"{{{id}}}","values":{"temperature":"hot"}}""" + "\nnot json\n" +
            $$$"""{"twinId":"{{{id}}}","kind":"properties","time":"2026-04-02T00:00:00Z","values":{"setpoint":3}}""" + "\n" +
            $$$"""{"twinId":"{{{id}}}","time":"2026-04-01T00:00:00Z","messageId":"b0","values":{"temperature":0}}""";

        var summary = await server.SendOkAsync(HttpMethod.Post, "/doppel/ingest", body, "application/x-ndjson");

        Assert.Equal(504, (long)summary["lines"]!);
        Assert.Equal(501, (long)summary["stored"]!);
        Assert.Equal(1, (long)summary["duplicates"]!);
        Assert.Equal(2, (long)summary["deadLettered"]!);
        Assert.Equal([501L, 502L], summary["errors"]!.AsArray().Select(e => (long)e!["line"]!));
        var aggregate = await server.SendOkAsync(HttpMethod.Get, $"/doppel/history/aggregates?twinIds={id}&names=temperature&bucket=1d&aggregates=count,sum&from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z");
        Assert.Equal(500.0, (double)aggregate["value"]![0]!["count"]!);
        Assert.Equal(124750.0, (double)aggregate["value"]![0]!["sum"]!);
        Assert.Equal(3.0, (double)(await server.SendOkAsync(HttpMethod.Get, $"/digitaltwins/{id}"))["setpoint"]!);
    }
    [Fact]
    public async Task A_route_to_an_MQTT_endpoint_publishes_the_CloudEvent_on_the_embedded_broker()
    {
        var id = await MachineAsync("routed");
        var suffix = _ns[^8..];
        await server.SendOkAsync(HttpMethod.Put, $"/doppel/endpoints/mqtt-{suffix}", $$"""{"type":"mqtt","topic":"events-{{suffix}}/{twinId}/{type}","qos":1}""");
        await server.SendOkAsync(HttpMethod.Put, $"/eventroutes/r-{suffix}", $$"""{"endpointName":"mqtt-{{suffix}}","filter":"type = 'microsoft.iot.telemetry' AND subject = '{{id}}'"}""");
        var received = new TaskCompletionSource<(string Topic, string Payload)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = await Mqtt.ConnectAsync(Port, "listener-" + id);
        listener.ApplicationMessageReceivedAsync += e =>
        {
            received.TrySetResult((e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString()));
            return Task.CompletedTask;
        };
        await listener.SubscribeAsync($"events-{suffix}/#", MqttQualityOfServiceLevel.AtLeastOnce);
        using var device = await Mqtt.ConnectAsync(Port, "dev-" + id);

        await device.PublishAsync($"doppel/twins/{id}/telemetry", """{"temperature":42}""");

        var (topic, payload) = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal($"events-{suffix}/{id}/microsoft.iot.telemetry", topic);
        var cloudEvent = JsonNode.Parse(payload)!;
        Assert.Equal("microsoft.iot.telemetry", (string?)cloudEvent["type"]);
        Assert.Equal(42.0, (double)cloudEvent["data"]!["temperature"]!);
        Assert.Equal($"{_ns}:Machine;1", (string?)cloudEvent["dataschema"]);
    }

    [Fact]
    public async Task Ingestion_is_counted_in_the_Prometheus_metrics()
    {
        var id = await MachineAsync("metrics");
        using var client = await Mqtt.ConnectAsync(Port, "dev-" + id);
        await client.PublishAsync($"doppel/twins/{id}/telemetry", """{"temperature":1,"state":"ok"}""");
        await client.PublishAsync($"doppel/twins/{id}/telemetry", """{"temperature":"x"}""");

        using var response = await server.Http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Matches("""doppel_ingest_messages_total\{[^}]*outcome="stored"[^}]*source="mqtt"[^}]*\} [1-9]""", text);
        Assert.Matches("""doppel_ingest_dead_letters_total\{[^}]*reason="ValidationFailed"[^}]*\} [1-9]""", text);
        // At least 2 (the first message's two points); other tests on the same server may have stored more (10 or more starts with a 1)
        Assert.Matches("""doppel_ingest_points_total\{[^}]*\} ([2-9]|[1-9][0-9]+)(\.|\s)""", text);
        Assert.Matches("""doppel_ingest_duration_milliseconds_count\{[^}]*source="mqtt"[^}]*\} [1-9]""", text);
        Assert.Contains("doppel_history_queue", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Telemetry_over_REST_updates_live_values_once_and_a_retry_changes_nothing()
    {
        var id = await MachineAsync("rest-live");
        using var events = server.Server.Runtime.Events.Subscribe(e => e.TwinId == id);
        for (var i = 0; i < 2; i++)
        {
            using var response = await server.SendAsync(HttpMethod.Post, $"/digitaltwins/{id}/telemetry", """{"temperature":12}""", configure: r => r.Headers.Add("Message-Id", "same"));
            Assert.Equal(204, (int)response.StatusCode);
        }

        Assert.Equal(12.0, (double)(await server.SendOkAsync(HttpMethod.Get, $"/doppel/twins/{id}/live"))["telemetry"]!["temperature"]!["value"]!);
        Assert.True(events.Reader.TryRead(out _));
        Assert.False(events.Reader.TryRead(out _), "the retry was announced again");
    }
}
