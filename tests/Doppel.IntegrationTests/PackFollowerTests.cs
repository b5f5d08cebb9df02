using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Doppel.History;
using Doppel.IntegrationTests.Support;
using Doppel.Packs;
using Doppel.Rules;
using Doppel.Server;
using Doppel.Server.Runtime;
using Doppel.Twins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Doppel.IntegrationTests;

/// <summary>
/// The packs' live extension point through a real server: a pack's follower hears the telemetry of the twins of its
/// model (and of models extending it) that arrives over MQTT, reads history, writes reported properties and telemetry
/// that land in history, raises and resolves alerts; a follower that throws on a reading is logged and counted while
/// the reading stays stored and the twin untouched.
/// </summary>
public sealed class PackFollowerTests : IAsyncLifetime
{
    private readonly ErrorLog _log = new();
    private DoppelServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await DoppelServer.StartAsync(
            new DoppelServerOptions { DataDirectory = Repository.TempFolder(), Urls = "http://127.0.0.1:0", MqttPort = 0, Packs = [new EchoPack()] },
            logging => logging.AddProvider(_log));
        _http = new HttpClient { BaseAddress = _server.HttpAddress };
        await Send(HttpMethod.Post, "/models", EchoPack.Models);
        await Send(HttpMethod.Put, "/digitaltwins/meter-1", """{"$metadata":{"$model":"dtmi:test:follow:BigMeter;1"}}""");
        await Send(HttpMethod.Put, "/digitaltwins/other-1", """{"$metadata":{"$model":"dtmi:test:follow:Other;1"}}""");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_follower_hears_its_twins_telemetry_writes_back_through_the_twin_raises_alerts_and_its_faults_leave_the_reading_stored()
    {
        await using var alerts = await SseStream.OpenAsync(_http, "?twinId=meter-1&types=alert");
        using var device = await Mqtt.ConnectAsync(_server.MqttPort!.Value, "meter-device");

        // Given a reading on a twin of a model extending the followed one
        await device.PublishAsync("doppel/twins/meter-1/telemetry", """{"level":5}""");

        // Then the follower wrote its properties through the twin (they are in history) and its telemetry
        var twin = await Twin(t => t["twice"] is not null);
        Assert.Equal((10.0, 1.0), ((double)twin["twice"]!, (double)twin["seen"]!));
        Assert.Equal([2.5], await History("meter-1", "half"));
        Assert.Equal([10.0], await History("meter-1", "twice"));

        // When a high reading arrives, the follower's alert is raised on the twin
        await device.PublishAsync("doppel/twins/meter-1/telemetry", """{"level":500}""");
        var raised = await alerts.NextAsync();
        Assert.Equal("doppel.alert.raised", (string)raised.Json["type"]!);
        Assert.Equal("follower:follow-test/echo/high", (string)raised.Json["data"]!["ruleId"]!);
        Assert.Equal("Level 500 on meter-1", (string)raised.Json["data"]!["message"]!);

        // When the follower throws on a reading, the fault is counted and logged, the reading stored, the twin untouched
        await device.PublishAsync("doppel/twins/meter-1/telemetry", """{"level":13}""");
        Assert.Equal(1, _server.Services.GetRequiredService<PackFollowers>().Faults("follow-test/echo"));
        Assert.Contains(_log.Errors, e => e.Contains("The follower follow-test/echo failed on telemetry of twin meter-1", StringComparison.Ordinal));

        // And a twin of a model outside the follower's is not followed
        await device.PublishAsync("doppel/twins/other-1/telemetry", """{"level":9}""");

        // When the level falls back, the alert resolves, and the follower read the whole history, the faulty reading included
        await device.PublishAsync("doppel/twins/meter-1/telemetry", """{"level":7}""");
        var resolved = await alerts.NextAsync();
        Assert.Equal("doppel.alert.resolved", (string)resolved.Json["type"]!);
        twin = await Twin(t => (double)t["twice"]! == 14);
        Assert.Equal(4.0, (double)twin["seen"]!);
        Assert.Equal([5.0, 500, 13, 7], await History("meter-1", "level"));
        Assert.Equal([10.0, 1000, 14], await History("meter-1", "twice"));
        Assert.Null((await Send(HttpMethod.Get, "/digitaltwins/other-1"))["twice"]);

        // And the packs list says what the follower follows
        var packs = await Send(HttpMethod.Get, "/doppel/packs");
        var follower = packs["value"]![0]!["followers"]![0]!;
        Assert.Equal(("echo", "dtmi:test:follow:Meter;1"), ((string)follower["name"]!, (string)follower["models"]![0]!));
    }

    [Fact]
    public void A_follower_of_no_model_or_of_a_malformed_one_is_refused_with_why()
    {
        var builder = PackCatalog.Create([new BadFollowerPack(), new EchoPack()]);

        Assert.Equal(["follow-test"], builder.Packs.Select(p => p.Name));
        Assert.Contains(builder.Problems, p => p.Contains("The follower 'echo' follows the model 'meter', which is not a DTMI with a version", StringComparison.Ordinal));
    }

    private Task<JsonNode> Twin(Func<JsonNode, bool> done) =>
        Poll.UntilAsync(() => Send(HttpMethod.Get, "/digitaltwins/meter-1"), done, "the follower's write on meter-1");

    private async Task<List<double>> History(string twinId, string name)
    {
        var history = await Send(HttpMethod.Get, $"/doppel/history/twins/{twinId}?names={name}");
        return [.. history["value"]!.AsArray().Select(p => (double)p!["value"]!)];
    }

    private async Task<JsonNode> Send(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, $"{path}{(path.Contains('?') ? '&' : '?')}api-version={ServerFixture.ApiVersion}");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} -> {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <summary>A pack with one follower: it doubles each level into a property, halves it into telemetry, alerts above 100 and throws on 13.</summary>
    private sealed class EchoPack : IPack
    {
        public const string Models = """
            [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:test:follow:Meter;1","@type":"Interface",
              "contents":[{"@type":"Telemetry","name":"level","schema":"double"},{"@type":"Telemetry","name":"half","schema":"double"},
                          {"@type":"Property","name":"twice","schema":"double"},{"@type":"Property","name":"seen","schema":"double"}]},
             {"@context":"dtmi:dtdl:context;3","@id":"dtmi:test:follow:BigMeter;1","@type":"Interface","extends":"dtmi:test:follow:Meter;1"},
             {"@context":"dtmi:dtdl:context;3","@id":"dtmi:test:follow:Other;1","@type":"Interface",
              "contents":[{"@type":"Telemetry","name":"level","schema":"double"},{"@type":"Property","name":"twice","schema":"double"}]}]
            """;

        public string Name => "follow-test";

        public string Description => "A follower under test.";

        public void Register(PackBuilder pack) => pack.AddFollower(new TwinFollower("echo", "Doubles each level.", ["dtmi:test:follow:Meter;1"], () => new Echo()));
    }

    private sealed class BadFollowerPack : IPack
    {
        public string Name => "bad-follower";

        public string Description => "A follower of a malformed model.";

        public void Register(PackBuilder pack) => pack.AddFollower(new TwinFollower("echo", "Follows nothing.", ["meter"], () => new Echo()));
    }

    private sealed class Echo : ITwinFollower
    {
        private readonly Channel<(string TwinId, double Level, DateTimeOffset Time)> _readings = Channel.CreateUnbounded<(string, double, DateTimeOffset)>();

        public void OnTelemetry(TwinDocument twin, IReadOnlyList<HistoryPoint> points)
        {
            foreach (var point in points)
            {
                if (point is { Name: "level", Number: 13 })
                {
                    throw new InvalidOperationException("unlucky");
                }
                if (point is { Name: "level", Number: { } level })
                {
                    _readings.Writer.TryWrite((twin.Id, level, point.Time));
                }
            }
        }

        public async Task RunAsync(FollowerContext context, CancellationToken ct)
        {
            await foreach (var (twinId, level, time) in _readings.Reader.ReadAllAsync(ct))
            {
                var seen = await context.ReadHistoryAsync(twinId, ["level"], DateTimeOffset.UnixEpoch, time, 1000, ct);
                // Telemetry first: the test waits on the property, the last write.
                var telemetry = await context.WriteTelemetryAsync(twinId, new JsonObject { ["half"] = level / 2 }, time, ct);
                var reported = await context.ReportPropertiesAsync(twinId, new JsonObject { ["twice"] = 2 * level, ["seen"] = seen.Count }, time, ct);
                Assert.True(reported.IsSuccess && telemetry.IsSuccess);
                context.Graph.TryGetTwin(twinId, out var twin);
                if (level > 100)
                {
                    context.RaiseAlert("high", twin, AlertSeverity.Major, string.Create(CultureInfo.InvariantCulture, $"Level {level} on {twinId}"), level);
                }
                else if (context.HasAlert("high", twinId))
                {
                    context.ResolveAlert("high", twinId, "the level fell back");
                }
            }
        }
    }
}
