using Doppel.Events;
using Doppel.History;
using Doppel.IntegrationTests.Support;
using Doppel.Server;
using Microsoft.Extensions.Logging;

namespace Doppel.IntegrationTests;

/// <summary>Bridge mode: Doppel subscribes to a real Mosquitto and ingests what devices publish there, even while Doppel was down.</summary>
public sealed class MqttBridgeTests : IAsyncLifetime
{
    private const string Model = """
        [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:bridge:Meter;1","@type":"Interface",
          "contents":[{"@type":"Telemetry","name":"power","schema":"double"},{"@type":"Property","name":"tariff","schema":"string","writable":true}]}]
        """;

    private readonly ErrorLog _log = new();
    private readonly string _data = Repository.TempFolder();
    private MosquittoProcess _mosquitto = null!;

    public async Task InitializeAsync() => _mosquitto = await MosquittoProcess.StartAsync();

    public async Task DisposeAsync()
    {
        await _mosquitto.DisposeAsync();
        Assert.True(_log.Errors.IsEmpty, "The server logged errors:\n" + string.Join("\n", _log.Errors));
    }

    private async Task<DoppelServer> StartDoppelAsync()
    {
        var server = await DoppelServer.StartAsync(
            new DoppelServerOptions { DataDirectory = _data, Urls = "http://127.0.0.1:0", MqttPort = null, MqttBridge = new Uri($"mqtt://127.0.0.1:{_mosquitto.Port}") },
            logging => logging.AddProvider(_log));
        await server.Bridge.Connected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return server;
    }

    [Fact]
    public async Task Messages_published_to_Mosquitto_are_ingested_including_those_sent_while_Doppel_was_down()
    {
        var server = await StartDoppelAsync();
        using var http = new HttpClient { BaseAddress = server.HttpAddress };
        (await http.PostAsync("/models?api-version=2023-10-31", new StringContent(Model, System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        (await http.PutAsync("/digitaltwins/meter-1?api-version=2023-10-31", new StringContent("""{"$metadata":{"$model":"dtmi:bridge:Meter;1"}}""", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        using var device = await Mqtt.ConnectAsync(_mosquitto.Port, "meter-1-device");

        using (var events = server.Runtime.Events.Subscribe(e => e.Type == TwinEventTypes.Telemetry))
        {
            await device.PublishAsync("doppel/twins/meter-1/telemetry", """{"power":1.5,"$sourceTime":"2026-06-01T00:00:00Z"}""");
            Assert.Equal("""{"power":1.5}""", (await events.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30))).DataText());
        }
        await server.DisposeAsync();

        // Doppel is down: Mosquitto keeps QoS 1 messages for the bridge's persistent session.
        for (var i = 2; i <= 4; i++)
        {
            await device.PublishAsync("doppel/twins/meter-1/telemetry", $$"""{"power":{{i}},"$sourceTime":"2026-06-01T00:0{{i}}:00Z"}""");
        }
        await device.PublishAsync("doppel/twins/meter-1/properties", """{"tariff":"night","$sourceTime":"2026-06-01T00:05:00Z"}""");

        server = await StartDoppelAsync();
        await using (server)
        {
            using var events = server.Runtime.Events.Subscribe();
            // Four telemetry points and a property: they may already be in; else wait for what is still to come (events follow the state).
            while (await CountAsync(server) < 5 || !HasTariff(server))
            {
                await events.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            }
            var page = await server.Runtime.History.ReadAsync(new HistoryRead(["meter-1"], ["power"], DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue));
            Assert.Equal([1.5, 2, 3, 4], page.Points.Select(p => p.Number!.Value));
            var tariff = await server.Runtime.History.ReadAsync(new HistoryRead(["meter-1"], ["tariff"], DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue));
            Assert.Single(tariff.Points);

        }
    }

    private static bool HasTariff(DoppelServer server) =>
        server.Runtime.Graph.TryGetTwin("meter-1", out var twin) && twin.TryGetProperty("tariff", out var value) && value.GetString() == "night";

    private static async Task<long> CountAsync(DoppelServer server) =>
        (await server.Runtime.History.ReadAsync(new HistoryRead(["meter-1"], [], DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue))).Points.Count;
}
