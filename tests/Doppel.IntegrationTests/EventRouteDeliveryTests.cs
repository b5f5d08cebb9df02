using System.Text.Json.Nodes;
using System.Threading.Channels;
using Doppel.IntegrationTests.Support;
using Doppel.Server.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Doppel.IntegrationTests;

/// <summary>Event routes through the real server: ADT filters, CloudEvents to a real webhook, retries, dead letters, MQTT, restarts.</summary>
public sealed class EventRouteDeliveryTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];
    private WebhookReceiver _webhook = null!;

    private string Model => $"dtmi:routes:t{_tag}:Sensor;1";

    private string Id(string name) => $"{name}-{_tag}";

    public async Task InitializeAsync()
    {
        _webhook = await WebhookReceiver.StartAsync();
        await PutModelAsync(server);
    }

    public async Task DisposeAsync() => await _webhook.DisposeAsync();

    private Task PutModelAsync(ServerFixture target) => target.PutModelsAsync($$"""
        [{"@context":"dtmi:dtdl:context;3","@id":"{{Model}}","@type":"Interface",
          "contents":[{"@type":"Telemetry","name":"temperature","schema":"double"},
                      {"@type":"Property","name":"label","schema":"string","writable":true},
                      {"@type":"Relationship","name":"feeds","properties":[{"@type":"Property","name":"rate","schema":"double","writable":true}]}]}]
        """);

    private static async Task RouteAsync(ServerFixture target, string route, string endpoint, string filter) =>
        await target.SendOkAsync(HttpMethod.Put, $"/eventroutes/{route}", new JsonObject { ["endpointName"] = endpoint, ["filter"] = filter }.ToJsonString());

    private async Task WebhookAsync(ServerFixture target, string name, string policy = "")
    {
        var body = $$"""{"type":"webhook","url":"{{_webhook.Url}}hooks/{{name}}","headers":{"X-Doppel-Test":"{{_tag}}"}{{policy}}}""";
        await target.SendOkAsync(HttpMethod.Put, $"/doppel/endpoints/{name}", body);
    }

    private Task TwinAsync(ServerFixture target, string id, string label = "new") =>
        target.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{id}", $$"""{"$metadata":{"$model":"{{Model}}"},"label":"{{label}}"}""");

    private async Task TelemetryAsync(string id, double temperature)
    {
        using var response = await server.SendAsync(HttpMethod.Post, $"/digitaltwins/{id}/telemetry", $$"""{"temperature":{{temperature}}}""",
            configure: r => r.Headers.Add("Message-Id", Guid.NewGuid().ToString()));
        Assert.Equal(204, (int)response.StatusCode);
    }

    [Fact]
    public async Task Twin_update_route_delivers_the_update_CloudEvent_with_its_JSON_Patch()
    {
        var id = Id("upd");
        await WebhookAsync(server, $"ep-upd-{_tag}");
        await RouteAsync(server, $"rt-upd-{_tag}", $"ep-upd-{_tag}", $"type = 'Microsoft.DigitalTwins.Twin.Update' AND subject = '{id}'");

        await TwinAsync(server, id);
        await server.SendOkAsync(HttpMethod.Patch, $"/digitaltwins/{id}", """[{"op":"replace","path":"/label","value":"hot"}]""", "application/json-patch+json");

        var received = await _webhook.NextAsync();
        Assert.Equal("application/cloudevents+json", received.ContentType);
        Assert.Equal(_tag, received.Headers["X-Doppel-Test"]);
        Assert.Equal($"/hooks/ep-upd-{_tag}", received.Path);
        Assert.Equal("Microsoft.DigitalTwins.Twin.Update", received.Type);
        Assert.Equal("1.0", (string?)received.CloudEvent["specversion"]);
        Assert.Equal(server.Server.HttpAddress!.Authority, (string?)received.CloudEvent["source"]);
        Assert.Equal(id, received.Subject);
        Assert.Equal(Model, (string?)received.Data["modelId"]);
        Assert.Contains(received.Data["patch"]!.AsArray(), op => (string?)op!["op"] == "replace" && (string?)op["path"] == "/label" && (string?)op["value"] == "hot");

        var endpoint = await server.SendOkAsync(HttpMethod.Get, $"/doppel/endpoints/ep-upd-{_tag}");
        Assert.Equal(0L, (long)endpoint["stats"]!["deadLettered"]!);
    }

    [Fact]
    public async Task Lifecycle_and_relationship_events_are_delivered_in_order()
    {
        var (a, b) = (Id("lc-a"), Id("lc-b"));
        await WebhookAsync(server, $"ep-lc-{_tag}");
        await RouteAsync(server, $"rt-lc-{_tag}", $"ep-lc-{_tag}", $"STARTS_WITH(type, 'Microsoft.DigitalTwins.') AND NOT type = 'Microsoft.DigitalTwins.Twin.Update' AND CONTAINS(subject, '{_tag}')");

        await TwinAsync(server, a);
        await TwinAsync(server, b);
        await server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{a}/relationships/r1", $$"""{"$targetId":"{{b}}","$relationshipName":"feeds","rate":1}""");
        await server.SendOkAsync(HttpMethod.Patch, $"/digitaltwins/{a}/relationships/r1", """[{"op":"replace","path":"/rate","value":2}]""", "application/json-patch+json");
        await server.SendOkAsync(HttpMethod.Delete, $"/digitaltwins/{a}/relationships/r1");
        await server.SendOkAsync(HttpMethod.Delete, $"/digitaltwins/{b}");

        string[] expected =
        [
            $"Microsoft.DigitalTwins.Twin.Create {a}", $"Microsoft.DigitalTwins.Twin.Create {b}",
            $"Microsoft.DigitalTwins.Relationship.Create {a}/relationships/r1", $"Microsoft.DigitalTwins.Relationship.Update {a}/relationships/r1",
            $"Microsoft.DigitalTwins.Relationship.Delete {a}/relationships/r1", $"Microsoft.DigitalTwins.Twin.Delete {b}",
        ];
        var received = new List<ReceivedEvent>();
        foreach (var _ in expected)
        {
            received.Add(await _webhook.NextAsync());
        }
        Assert.Equal(expected, received.Select(r => $"{r.Type} {r.Subject}"));
        Assert.Equal(b, (string?)received[2].Data["$targetId"]);
        Assert.Contains(received[3].Data["patch"]!.AsArray(), op => (string?)op!["path"] == "/rate");
    }

    [Fact]
    public async Task Telemetry_route_delivers_only_messages_that_match_the_body_filter()
    {
        var id = Id("tel");
        await TwinAsync(server, id);
        await WebhookAsync(server, $"ep-tel-{_tag}");
        await RouteAsync(server, $"rt-tel-{_tag}", $"ep-tel-{_tag}", $"type = 'microsoft.iot.telemetry' AND $body.temperature > 50 AND subject = '{id}'");

        foreach (var temperature in new[] { 40, 60.5, 45, 50, 70, 99 })
        {
            await TelemetryAsync(id, temperature);
        }

        // In order per endpoint: if anything else had matched it would arrive between these.
        double[] temperatures = [(double)(await _webhook.NextAsync()).Data["temperature"]!, (double)(await _webhook.NextAsync()).Data["temperature"]!, (double)(await _webhook.NextAsync()).Data["temperature"]!];
        Assert.Equal([60.5, 70, 99], temperatures);
    }

    [Fact]
    public async Task A_failing_webhook_is_retried_with_doubling_backoff_until_it_answers()
    {
        var clock = new TimerWatchingClock();
        var fixture = new ServerFixture { Time = clock };
        await fixture.InitializeAsync();
        try
        {
            await PutModelAsync(fixture);
            await WebhookAsync(fixture, "ep-retry", ""","maxAttempts":5,"initialBackoff":"PT7S","maxBackoff":"PT1M" """);
            await RouteAsync(fixture, "rt-retry", "ep-retry", "type = 'Microsoft.DigitalTwins.Twin.Create'");
            _webhook.AnswerNext(500, 503);

            await TwinAsync(fixture, Id("retry"));

            // Time moves only once the dispatcher waits: by exactly the wait it chose.
            Assert.Equal(500, (await _webhook.NextAsync()).AnsweredStatus);
            var first = await clock.NextTimerAsync();
            clock.Advance(first);
            Assert.Equal(503, (await _webhook.NextAsync()).AnsweredStatus);
            var second = await clock.NextTimerAsync();
            clock.Advance(second);
            var delivered = await _webhook.NextAsync();

            Assert.InRange(first.TotalSeconds, 7 * 0.8, 7); // the initial backoff, less up to 20 % jitter
            Assert.InRange(second.TotalSeconds, 14 * 0.8, 14); // doubled
            Assert.Equal(200, delivered.AnsweredStatus);
            Assert.Equal(Id("retry"), delivered.Subject);
            var stats = (await fixture.SendOkAsync(HttpMethod.Get, "/doppel/endpoints/ep-retry"))["stats"]!;
            Assert.Equal(2L, (long)stats["failed"]!);
            Assert.Contains("503", (string?)stats["lastError"], StringComparison.Ordinal);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(new[] { 400 }, 1, "rejected", "HTTP 400")]
    [InlineData(new[] { 500, 500, 500 }, 3, "maxAttemptsExceeded", "HTTP 500")]
    public async Task A_webhook_that_refuses_or_keeps_failing_produces_a_dead_letter_with_the_reason(int[] answers, int attempts, string reason, string error)
    {
        var (id, sentinel, endpoint) = (Id("dl"), Id("dl-next"), $"ep-dl-{_tag}");
        await WebhookAsync(server, endpoint, ""","maxAttempts":3,"initialBackoff":"PT0.001S","maxBackoff":"PT0.002S" """);
        await RouteAsync(server, $"rt-dl-{_tag}", endpoint, $"type = 'Microsoft.DigitalTwins.Twin.Create' AND STARTS_WITH(subject, 'dl-') AND ENDS_WITH(subject, '{_tag}')");
        _webhook.AnswerNext(answers);

        await TwinAsync(server, id);
        for (var i = 0; i < attempts; i++)
        {
            Assert.Equal(id, (await _webhook.NextAsync()).Subject);
        }
        // The endpoint delivers in order, so once the next event arrives the first one has been given up.
        await TwinAsync(server, sentinel);
        Assert.Equal(sentinel, (await _webhook.NextAsync()).Subject);

        var page = await server.SendOkAsync(HttpMethod.Get, $"/doppel/endpoints/{endpoint}/deadletters");
        var letter = Assert.Single(page["value"]!.AsArray())!;
        Assert.Equal(reason, (string?)letter["reason"]);
        Assert.Equal(attempts, (int)letter["attempts"]!);
        Assert.Contains(error, (string?)letter["lastError"], StringComparison.Ordinal);
        Assert.Equal(endpoint, (string?)letter["endpoint"]);
        Assert.Equal(id, (string?)letter["event"]!["subject"]);
        Assert.Equal("Microsoft.DigitalTwins.Twin.Create", (string?)letter["event"]!["type"]);
        var stats = (await server.SendOkAsync(HttpMethod.Get, $"/doppel/endpoints/{endpoint}"))["stats"]!;
        Assert.Equal(1L, (long)stats["deadLettered"]!);
        Assert.Equal(attempts, (long)stats["failed"]!);
    }

    [Fact]
    public async Task Dead_letters_page_with_nextLink()
    {
        var endpoint = $"ep-page-{_tag}";
        await WebhookAsync(server, endpoint, ""","maxAttempts":1""");
        await RouteAsync(server, $"rt-page-{_tag}", endpoint, $"type = 'Microsoft.DigitalTwins.Twin.Create' AND STARTS_WITH(subject, 'pg-') AND ENDS_WITH(subject, '{_tag}')");
        _webhook.AnswerNext(404, 404, 404);
        foreach (var name in new[] { "pg-1", "pg-2", "pg-3", "pg-ok" })
        {
            await TwinAsync(server, Id(name));
        }
        for (var i = 0; i < 4; i++)
        {
            await _webhook.NextAsync();
        }

        using var first = await server.SendAsync(HttpMethod.Get, $"/doppel/endpoints/{endpoint}/deadletters", configure: r => r.Headers.Add("max-items-per-page", "2"));
        var page1 = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        var page2 = await server.SendOkAsync(HttpMethod.Get, new Uri((string)page1["nextLink"]!).PathAndQuery);

        Assert.Equal([Id("pg-1"), Id("pg-2"), Id("pg-3")],
            page1["value"]!.AsArray().Concat(page2["value"]!.AsArray()).Select(l => (string?)l!["event"]!["subject"]));
        Assert.Null(page2["nextLink"]);
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 2.0)]
    [InlineData(3, 4.0)]
    [InlineData(7, 60.0)]
    [InlineData(40, 60.0)]
    public void Route_retry_backoff_doubles_from_the_initial_wait_up_to_the_maximum(int failedAttempts, double seconds)
    {
        var (initial, max) = (TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

        Assert.Equal(seconds, Doppel.Server.Routing.Internal.Backoff.After(failedAttempts, initial, max, unitRandom: 1).TotalSeconds, 6);
        Assert.Equal(seconds * 0.8, Doppel.Server.Routing.Internal.Backoff.After(failedAttempts, initial, max, unitRandom: 0).TotalSeconds, 6);
    }

    [Theory]
    [InlineData("type = 'Microsoft.DigitalTwins.Twin.Update' AND", "position 48")]
    [InlineData("type == 'x'", "position 7")]
    [InlineData("temperature > 50", "unknown attribute 'temperature'")]
    public async Task A_malformed_route_filter_is_refused_with_the_position(string filter, string expected)
    {
        await WebhookAsync(server, $"ep-bad-{_tag}");

        using var response = await server.SendAsync(HttpMethod.Put, $"/eventroutes/rt-bad-{_tag}", new JsonObject { ["endpointName"] = $"ep-bad-{_tag}", ["filter"] = filter }.ToJsonString());

        Assert.Contains(expected, await AdtAssert.Error(response, 400, "EventRouteFilterInvalid"), StringComparison.Ordinal);
        using var missing = await server.SendAsync(HttpMethod.Get, $"/eventroutes/rt-bad-{_tag}");
        Assert.Equal(404, (int)missing.StatusCode);
    }

    [Fact]
    public async Task A_route_to_an_unknown_endpoint_is_refused()
    {
        using var response = await server.SendAsync(HttpMethod.Put, $"/eventroutes/rt-none-{_tag}", """{"endpointName":"no-such-endpoint","filter":"true"}""");

        Assert.Contains("no-such-endpoint", await AdtAssert.Error(response, 400, "EventRouteEndpointInvalid"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"webhook","url":"ftp://example.com/"}""", "url")]
    [InlineData("""{"type":"webhook"}""", "url")]
    [InlineData("""{"type":"queue"}""", "\"type\"")]
    [InlineData("""{"type":"webhook","url":"https://example.com/","maxAttempts":0}""", "maxAttempts")]
    [InlineData("""{"type":"webhook","url":"https://example.com/","initialBackoff":"1s"}""", "initialBackoff")]
    [InlineData("""{"type":"webhook","url":"https://example.com/","headers":{"Content-Type":"text/plain"}}""", "Content-Type")]
    [InlineData("""{"type":"webhook","url":"https://example.com/","colour":"red"}""", "colour")]
    [InlineData("""{"type":"mqtt","topic":"doppel/{twinId}","qos":2}""", "\"qos\" must be 0 or 1")]
    public async Task Bad_endpoint_bodies_are_refused_with_the_reason(string body, string expected)
    {
        using var response = await server.SendAsync(HttpMethod.Put, $"/doppel/endpoints/ep-invalid-{_tag}", body);

        Assert.Contains(expected, await AdtAssert.Error(response, 400, "EndpointInvalid"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_used_by_a_route_cannot_be_deleted_until_the_route_is()
    {
        var endpoint = $"ep-used-{_tag}";
        await WebhookAsync(server, endpoint);
        await RouteAsync(server, $"rt-used-{_tag}", endpoint, "false");

        using var refused = await server.SendAsync(HttpMethod.Delete, $"/doppel/endpoints/{endpoint}");
        Assert.Contains($"rt-used-{_tag}", await AdtAssert.Error(refused, 409, "EndpointInUse"), StringComparison.Ordinal);

        await server.SendOkAsync(HttpMethod.Delete, $"/eventroutes/rt-used-{_tag}");
        await server.SendOkAsync(HttpMethod.Delete, $"/doppel/endpoints/{endpoint}");
        using var gone = await server.SendAsync(HttpMethod.Get, $"/doppel/endpoints/{endpoint}");
        Assert.Equal(404, (int)gone.StatusCode);
    }

    [Fact]
    public async Task Endpoints_and_routes_survive_a_restart_and_keep_delivering()
    {
        var folder = Repository.TempFolder();
        var first = new ServerFixture { DataDirectory = folder };
        await first.InitializeAsync();
        try
        {
            await PutModelAsync(first);
            await WebhookAsync(first, "ep-durable", ""","maxAttempts":4,"initialBackoff":"PT2S" """);
            await RouteAsync(first, "rt-durable", "ep-durable", "type = 'Microsoft.DigitalTwins.Twin.Create'");
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = new ServerFixture { DataDirectory = folder };
        await second.InitializeAsync();
        try
        {
            var endpoint = await second.SendOkAsync(HttpMethod.Get, "/doppel/endpoints/ep-durable");
            Assert.Equal(4, (int)endpoint["maxAttempts"]!);
            Assert.Equal("PT2S", (string?)endpoint["initialBackoff"]);
            var routes = await second.SendOkAsync(HttpMethod.Get, "/eventroutes");
            Assert.Contains(routes["value"]!.AsArray(), r => (string?)r!["id"] == "rt-durable" && (string?)r["endpointName"] == "ep-durable");

            await TwinAsync(second, Id("after-restart"));
            Assert.Equal(Id("after-restart"), (await _webhook.NextAsync()).Subject);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_mqtt_endpoint_publishes_the_CloudEvent_to_the_topic_from_its_template()
    {
        var broker = new RecordingMqttPublisher();
        var fixture = new ServerFixture { Services = services => services.AddSingleton<IMqttEventPublisher>(broker) };
        await fixture.InitializeAsync();
        try
        {
            await PutModelAsync(fixture);
            await fixture.SendOkAsync(HttpMethod.Put, "/doppel/endpoints/ep-mqtt", """{"type":"mqtt","topic":"doppel/events/{twinId}/{type}","qos":1,"retain":true}""");
            await RouteAsync(fixture, "rt-mqtt", "ep-mqtt", "type = 'Microsoft.DigitalTwins.Twin.Create'");

            await TwinAsync(fixture, "pump+1");

            var published = await broker.NextAsync();
            Assert.Equal("doppel/events/pump_1/Microsoft.DigitalTwins.Twin.Create", published.Topic);
            Assert.Equal((1, true), (published.Qos, published.Retain));
            var cloudEvent = JsonNode.Parse(published.Payload)!;
            Assert.Equal("pump+1", (string?)cloudEvent["subject"]);
            Assert.Equal(Model, (string?)cloudEvent["data"]!["$metadata"]!["$model"]);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_cli_manages_endpoints_and_routes_and_shows_dead_letters()
    {
        var (endpoint, route, address) = ($"ep-cli-{_tag}", $"rt-cli-{_tag}", server.Server.HttpAddress!.ToString());

        var (code, stdout, stderr) = await DoppelProcess.RunAsync("endpoints", "put", endpoint, "--webhook", $"{_webhook.Url}cli", "--header", "X-Key=s3cret-from-the-cli", "--max-attempts", "1", "--server", address);
        Assert.True(code == 0, stderr);
        // Write-only: the CLI shows that the header is set, never its value.
        Assert.Equal(EventEndpoint.Mask, (string?)JsonNode.Parse(stdout)!["headers"]!["X-Key"]);
        Assert.DoesNotContain("s3cret-from-the-cli", stdout, StringComparison.Ordinal);
        (code, _, stderr) = await DoppelProcess.RunAsync("routes", "put", route, "--endpoint", endpoint, "--filter", "type = 'Microsoft.DigitalTwins.Twin.Create' AND subject =", "--server", address);
        Assert.Equal(1, code);
        Assert.Contains("EventRouteFilterInvalid", stderr, StringComparison.Ordinal);
        Assert.Contains("position", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await DoppelProcess.RunAsync("routes", "put", route, "--endpoint", endpoint, "--filter", $"type = 'Microsoft.DigitalTwins.Twin.Create' AND STARTS_WITH(subject, 'cli') AND ENDS_WITH(subject, '{_tag}')", "--server", address);
        Assert.True(code == 0, stderr);
        (code, stdout, _) = await DoppelProcess.RunAsync("routes", "list", "--server", address, "--json");
        Assert.Contains(JsonNode.Parse(stdout)!.AsArray(), r => (string?)r!["id"] == route && (string?)r["endpointName"] == endpoint);

        _webhook.AnswerNext(410);
        await TwinAsync(server, Id("cli"));
        await TwinAsync(server, Id("cli-next"));
        Assert.Equal(Id("cli"), (await _webhook.NextAsync()).Subject);
        Assert.Equal(Id("cli-next"), (await _webhook.NextAsync()).Subject); // in order: the first is dead-lettered by now
        await server.SendOkAsync(HttpMethod.Delete, $"/eventroutes/{route}");

        (code, stdout, stderr) = await DoppelProcess.RunAsync("endpoints", "deadletters", endpoint, "--server", address);
        Assert.True(code == 0, stderr);
        Assert.Contains("rejected", stdout, StringComparison.Ordinal);
        Assert.Contains("HTTP 410", stdout, StringComparison.Ordinal);
        (code, stdout, _) = await DoppelProcess.RunAsync("endpoints", "list", "--server", address);
        Assert.Contains(endpoint, stdout, StringComparison.Ordinal);
        (code, _, stderr) = await DoppelProcess.RunAsync("endpoints", "delete", endpoint, "--server", address);
        Assert.True(code == 0, stderr);
        (code, _, stderr) = await DoppelProcess.RunAsync("endpoints", "show", endpoint, "--server", address);
        Assert.Equal(1, code);
        Assert.Contains("EndpointNotFound", stderr, StringComparison.Ordinal);
    }

    /// <summary>Stands in for the embedded broker at the publisher interface: records what the dispatcher published.</summary>
    private sealed class RecordingMqttPublisher : IMqttEventPublisher
    {
        private readonly Channel<(string Topic, byte[] Payload, int Qos, bool Retain)> _published = Channel.CreateUnbounded<(string, byte[], int, bool)>();

        public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken ct)
        {
            _published.Writer.TryWrite((topic, payload.ToArray(), qos, retain));
            return Task.CompletedTask;
        }

        public async Task<(string Topic, byte[] Payload, int Qos, bool Retain)> NextAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await _published.Reader.ReadAsync(timeout.Token);
        }
    }

    /// <summary>A fake clock that tells the test when a timer is set, so it advances time exactly when the dispatcher waits.</summary>
    private sealed class TimerWatchingClock : FakeTimeProvider
    {
        private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timers.Writer.TryWrite(dueTime);
            return timer;
        }

        /// <summary>The due time of the next timer set on this clock (only Doppel's domain code uses it, not Orleans or ASP.NET).</summary>
        public async Task<TimeSpan> NextTimerAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await _timers.Reader.ReadAsync(timeout.Token);
        }
    }
}
