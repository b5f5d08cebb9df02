using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;
using Microsoft.Extensions.Time.Testing;
using MQTTnet;

namespace Doppel.IntegrationTests;

/// <summary>
/// Readings stamped in the future are refused on every ingest path, measured against the server's clock (a fake one
/// here, at <see cref="Now"/>, months before the machine's: a reading the system clock would take is refused), into
/// the dead letters with reason FutureTimestamp; a reading within the skew is stored.
/// </summary>
public sealed class ClockSkewTests(ClockSkewTests.FakeClockServer fixture) : IClassFixture<ClockSkewTests.FakeClockServer>
{
    public static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private ServerFixture Server => fixture.Server;

    private async Task<string> MachineAsync(string name)
    {
        var id = $"{name}-{Guid.NewGuid().ToString("N")[..6]}";
        await Server.SendOkAsync(HttpMethod.Put, $"/digitaltwins/{id}", """{"$metadata":{"$model":"dtmi:skew:Machine;1"}}""");
        return id;
    }

    private async Task<JsonArray> DeadLettersAsync(string id) =>
        (await Server.SendOkAsync(HttpMethod.Get, $"/doppel/deadletters?twinId={id}&reason=FutureTimestamp"))["value"]!.AsArray();

    private async Task<JsonArray> HistoryAsync(string id) =>
        (await Server.SendOkAsync(HttpMethod.Get, $"/doppel/history/twins/{id}?from=2000-01-01T00:00:00Z&to=9999-12-31T00:00:00Z"))["value"]!.AsArray();

    private async Task<double?> LiveAsync(string id, string name) =>
        (double?)(await Server.SendOkAsync(HttpMethod.Get, $"/doppel/twins/{id}/live"))["telemetry"]![name]?["value"];

    [Fact]
    public async Task MQTT_telemetry_and_reported_properties_from_the_future_are_dead_lettered_and_never_freeze_the_twin()
    {
        var id = await MachineAsync("mqtt");
        using var client = await Mqtt.ConnectAsync(Server.Server.MqttPort!.Value, "dev-" + id);
        var telemetry = $"doppel/twins/{id}/telemetry";
        var properties = $"doppel/twins/{id}/properties";

        var within = await client.PublishAsync(telemetry, $$"""{"temperature":20,"$sourceTime":"{{Now.AddMinutes(4):O}}"}""");
        var year9999 = await client.PublishAsync(telemetry, """{"temperature":99,"$sourceTime":"9999-01-01T00:00:00Z"}""");
        var justBeyond = await client.PublishAsync(telemetry, $$"""{"temperature":98,"$sourceTime":"{{Now.AddMinutes(5).AddSeconds(1):O}}"}""");
        var later = await client.PublishAsync(telemetry, $$"""{"temperature":21,"$sourceTime":"{{Now.AddMinutes(1):O}}"}""");
        var futureProperty = await client.PublishAsync(properties, """{"setpoint":500,"$sourceTime":"9999-01-01T00:00:00Z"}""");
        var property = await client.PublishAsync(properties, $$"""{"setpoint":50,"$sourceTime":"{{Now:O}}"}""");

        Assert.True(within.IsSuccess && later.IsSuccess && property.IsSuccess, within.ReasonString ?? later.ReasonString ?? property.ReasonString);
        Assert.All([year9999, justBeyond, futureProperty], r => Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, r.ReasonCode));
        Assert.Equal([21.0, 20.0], (await HistoryAsync(id)).Where(p => (string?)p!["name"] == "temperature").Select(p => (double)p!["value"]!));
        Assert.Equal(20.0, await LiveAsync(id, "temperature")); // the newest source time wins: 12:04 over 12:01, and no year 9999
        Assert.Equal(50.0, (double)(await Server.SendOkAsync(HttpMethod.Get, $"/digitaltwins/{id}"))["setpoint"]!);
        var letters = await DeadLettersAsync(id);
        Assert.Equal(3, letters.Count);
        Assert.All(letters, l => Assert.Equal("mqtt", (string?)l!["source"]));
        var messages = letters.Select(l => (string)l!["message"]!).ToList();
        Assert.Contains(messages, m => m.StartsWith("The source time 2026-05-01T12:05:01Z is 5 minutes 1 second ahead of the server's clock (2026-05-01T12:00:00Z); readings more than 5 minutes ahead are refused.", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("The source time 9999-01-01T00:00:00Z is 2911957.5 days ahead", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_mapping_timestamp_from_the_future_is_dead_lettered()
    {
        var id = await MachineAsync("mapped");
        await Server.SendOkAsync(HttpMethod.Put, $"/doppel/mappings/skew-{id}", $$$"""{"topic":"plant-{{{id}}}/{machine}","twinId":"{machine}","timestamp":"$.ts","values":{"temperature":"$.t"}}""");
        using var client = await Mqtt.ConnectAsync(Server.Server.MqttPort!.Value, "plc-" + id);

        var future = await client.PublishAsync($"plant-{id}/{id}", $$"""{"ts":{{Now.AddHours(1).ToUnixTimeMilliseconds()}},"t":7}""");
        var present = await client.PublishAsync($"plant-{id}/{id}", $$"""{"ts":{{Now.ToUnixTimeMilliseconds()}},"t":8}""");

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, future.ReasonCode);
        Assert.True(present.IsSuccess, present.ReasonString);
        Assert.Equal([8.0], (await HistoryAsync(id)).Select(p => (double)p!["value"]!));
        Assert.Contains("1 hour ahead", (string?)Assert.Single(await DeadLettersAsync(id))!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADT_telemetry_with_a_future_source_time_is_a_400_and_a_dead_letter()
    {
        var id = await MachineAsync("rest");

        using var future = await Server.SendAsync(HttpMethod.Post, $"/digitaltwins/{id}/telemetry", """{"temperature":30}""",
            configure: r => { r.Headers.Add("Message-Id", "f1"); r.Headers.Add("Telemetry-Source-Time", "9999-01-01T00:00:00Z"); });
        using var present = await Server.SendAsync(HttpMethod.Post, $"/digitaltwins/{id}/telemetry", """{"temperature":31}""",
            configure: r => { r.Headers.Add("Message-Id", "p1"); r.Headers.Add("Telemetry-Source-Time", Now.AddMinutes(5).ToString("O")); });

        await AdtAssert.Error(future, 400, "InvalidArgument");
        Assert.Equal(204, (int)present.StatusCode);
        Assert.Equal(31.0, await LiveAsync(id, "temperature"));
        var letter = Assert.Single(await DeadLettersAsync(id))!;
        Assert.Equal("http", (string?)letter["source"]);
        Assert.Equal($"/digitaltwins/{id}/telemetry", (string?)letter["topic"]);
        Assert.StartsWith("The Telemetry-Source-Time header 9999-01-01T00:00:00Z is ", (string?)letter["message"], StringComparison.Ordinal);
        Assert.Equal("""{"temperature":30}""", (string?)letter["payload"]);
    }

    [Fact]
    public async Task A_backfill_line_from_the_future_is_reported_with_its_line_number_and_the_others_are_stored()
    {
        var id = await MachineAsync("bulk");
        var body = string.Join("\n",
            $$$"""{"twinId":"{{{id}}}","time":"2026-04-30T00:00:00Z","values":{"temperature":1}}""",
            $$$"""{"twinId":"{{{id}}}","time":"9999-12-31T23:59:59Z","values":{"temperature":2}}""",
            $$$"""{"twinId":"{{{id}}}","kind":"properties","time":"9999-12-31T23:59:59Z","values":{"setpoint":3}}""",
            $$$"""{"twinId":"{{{id}}}","time":"{{{Now.AddMinutes(5):O}}}","values":{"temperature":4}}""");

        var summary = await Server.SendOkAsync(HttpMethod.Post, "/doppel/ingest", body, "application/x-ndjson");

        Assert.Equal(2, (long)summary["stored"]!);
        Assert.Equal(2, (long)summary["deadLettered"]!);
        Assert.Equal(["2 FutureTimestamp", "3 FutureTimestamp"], summary["errors"]!.AsArray().Select(e => $"{(long)e!["line"]!} {(string?)e["reason"]}"));
        Assert.Equal([1.0, 4.0], (await HistoryAsync(id)).Select(p => (double)p!["value"]!));
        // Each refused line is a dead letter of its twin, with its line number.
        Assert.Equal(["Line 3", "Line 2"], (await DeadLettersAsync(id)).Select(l => ((string)l!["message"]!)[..6]));
    }

    [Fact]
    public async Task Doppel_serve_takes_the_skew_from_max_clock_skew()
    {
        await using var serve = await DoppelProcess.ServeAsync(Repository.TempFolder(), "http://127.0.0.1:0", "--max-clock-skew", "1h");
        using var http = new HttpClient { BaseAddress = serve.Address("http") };
        async Task<int> SendAsync(string path, string json, TimeSpan? ahead = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{path}?api-version={ServerFixture.ApiVersion}") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
            if (ahead is { } a)
            {
                request.Headers.Add("Message-Id", Guid.NewGuid().ToString());
                request.Headers.Add("Telemetry-Source-Time", DateTimeOffset.UtcNow.Add(a).ToString("O"));
            }
            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }
        Assert.Equal(201, await SendAsync("/models", """[{"@context":"dtmi:dtdl:context;3","@id":"dtmi:skew:Cli;1","@type":"Interface","contents":[{"@type":"Telemetry","name":"t","schema":"double"}]}]"""));
        using (var put = await http.PutAsync($"/digitaltwins/m1?api-version={ServerFixture.ApiVersion}", new StringContent("""{"$metadata":{"$model":"dtmi:skew:Cli;1"}}""", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.True(put.IsSuccessStatusCode);
        }

        // Beyond the default 5 minutes but within the hour asked for; then beyond it.
        Assert.Equal(204, await SendAsync("/digitaltwins/m1/telemetry", """{"t":1}""", TimeSpan.FromMinutes(30)));
        Assert.Equal(400, await SendAsync("/digitaltwins/m1/telemetry", """{"t":2}""", TimeSpan.FromHours(2)));
        var (exitCode, _, stderr) = await DoppelProcess.RunAsync("serve", "--data", Repository.TempFolder(), "--max-clock-skew", "soon");
        Assert.Equal(2, exitCode);
        Assert.Contains("--max-clock-skew 'soon' is not a duration", stderr, StringComparison.Ordinal);
    }

    /// <summary>A server whose clock is a <see cref="FakeTimeProvider"/> at <see cref="Now"/>, with a machine model.</summary>
    public sealed class FakeClockServer : IAsyncLifetime
    {
        public FakeTimeProvider Clock { get; } = new(Now);

        public ServerFixture Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Server = new ServerFixture { Time = Clock };
            await Server.InitializeAsync();
            await Server.PutModelsAsync("""
                [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:skew:Machine;1","@type":"Interface",
                  "contents":[{"@type":"Telemetry","name":"temperature","schema":"double"},{"@type":"Property","name":"setpoint","schema":"double","writable":true}]}]
                """);
        }

        public Task DisposeAsync() => Server.DisposeAsync();
    }
}
