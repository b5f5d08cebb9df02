using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Doppel.IntegrationTests.Support;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Doppel.IntegrationTests;

/// <summary>
/// MQTT with credentials required: devices sign in with an API key as their password, and publish and subscribe only
/// where their policies let them, with real clients (MQTTnet 5 and 3.1.1, Debian's mosquitto_pub).
/// </summary>
public sealed class MqttAuthenticationTests(MqttAuthenticationTests.Secured server) : IClassFixture<MqttAuthenticationTests.Secured>
{
    private int Port => server.Server.Server.MqttPort!.Value;

    [Fact]
    public async Task A_device_publishes_to_its_own_twin_and_is_refused_another_which_subscribers_never_see()
    {
        var (device, own) = await server.DeviceAsync("dev-a");
        var other = await server.TwinAsync("other-a");
        var reader = await server.KeyAsync("reader-a", "reader");
        var seen = Channel.CreateUnbounded<string>();
        using var subscriber = await ConnectAsync("sub-a", reader);
        subscriber.ApplicationMessageReceivedAsync += e => seen.Writer.WriteAsync(e.ApplicationMessage.Topic).AsTask();
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"doppel/twins/{other}/telemetry", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter($"doppel/twins/{own}/telemetry", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        using var client = await ConnectAsync("dev-a-client", device);

        var refused = await client.PublishAsync($"doppel/twins/{other}/telemetry", """{"flow":99}""");
        var accepted = await client.PublishAsync($"doppel/twins/{own}/telemetry", """{"flow":12.5}""");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, refused.ReasonCode);
        Assert.True(accepted.IsSuccess, accepted.ReasonString);
        Assert.Equal(["flow=12.5"], await server.HistoryAsync(own));
        Assert.Empty(await server.HistoryAsync(other));
        var dead = Assert.Single(await server.DeadLettersAsync(other));
        Assert.Equal("Forbidden", (string?)dead!["reason"]);
        // The refused message was published first; had the broker passed it on, it would have arrived first.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal($"doppel/twins/{own}/telemetry", await seen.Reader.ReadAsync(timeout.Token));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task Connecting_without_credentials_or_with_a_wrong_password_is_refused(MqttProtocolVersion version)
    {
        var (device, _) = await server.DeviceAsync("dev-b-" + version);
        var wrong = device[..^4] + (device.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await ConnectResultAsync(null, null, version));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await ConnectResultAsync("dev-b", wrong, version));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await ConnectResultAsync("dev-b", "not-a-key", version));
        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectResultAsync("dev-b", device, version));
    }

    [Theory]
    [InlineData(false, (byte)5)] // no credentials: 5, not authorized (MQTT 3.1.1 section 3.2.2.3)
    [InlineData(true, (byte)4)]  // a password that is no key: 4, bad user name or password
    public async Task MQTT_311_clients_get_the_CONNACK_return_code_of_the_refusal(bool withPassword, byte expected)
    {
        // CONNECT, MQTT 3.1.1, clean session, keep-alive 60 s, client id "raw", then user name and password when given.
        List<byte> body = [0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, (byte)(withPassword ? 0xC2 : 0x02), 0x00, 0x3C];
        AddString(body, "raw");
        if (withPassword)
        {
            AddString(body, "device");
            AddString(body, "dpl_0000000000000000_nope");
        }
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync((byte[])[0x10, (byte)body.Count, .. body]);

        var connack = new byte[4];
        await stream.ReadExactlyAsync(connack).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([0x20, 0x02, 0x00, expected], connack);

        static void AddString(List<byte> to, string text)
        {
            to.AddRange([(byte)(text.Length >> 8), (byte)text.Length]);
            to.AddRange(System.Text.Encoding.UTF8.GetBytes(text));
        }
    }

    [Fact]
    public async Task A_revoked_key_stops_an_already_connected_client_at_its_next_publish()
    {
        var (device, own) = await server.DeviceAsync("dev-c");
        using var client = await ConnectAsync("dev-c-client", device);
        var before = await client.PublishAsync($"doppel/twins/{own}/telemetry", """{"flow":1}""");
        Assert.True(before.IsSuccess, before.ReasonString);

        await server.OkAsync(HttpMethod.Delete, "/doppel/auth/keys/dev-c");
        var after = await client.PublishAsync($"doppel/twins/{own}/telemetry", """{"flow":2}""");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, after.ReasonCode);
        Assert.Equal(["flow=1"], await server.HistoryAsync(own));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await ConnectResultAsync("dev-c", device, MqttProtocolVersion.V500));
    }

    [Fact]
    public async Task A_device_subscribes_to_its_own_twin_but_not_to_everything()
    {
        var (device, own) = await server.DeviceAsync("dev-d");
        var other = await server.TwinAsync("other-d");
        using var client = await ConnectAsync("dev-d-client", device);

        var result = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"doppel/twins/{own}/telemetry", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("#", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter($"doppel/twins/{other}/telemetry", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("doppel/twins/+/telemetry", MqttQualityOfServiceLevel.AtLeastOnce).Build());

        Assert.Equal(
            [MqttClientSubscribeResultCode.GrantedQoS1, MqttClientSubscribeResultCode.NotAuthorized, MqttClientSubscribeResultCode.NotAuthorized, MqttClientSubscribeResultCode.NotAuthorized],
            result.Items.Select(i => i.ResultCode));
    }

    [Fact]
    public async Task A_client_cannot_pose_as_Doppel_itself_to_skip_the_checks()
    {
        // Doppel publishes routed events under its own client id, and the broker does not judge those.
        var (device, _) = await server.DeviceAsync("dev-e");

        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, await ConnectResultAsync("dev-e", device, MqttProtocolVersion.V500, clientId: "doppel"));
    }

    [Theory]
    [InlineData("mqttv5")]
    [InlineData("mqttv311")]
    public async Task Mosquitto_pub_with_a_device_key_publishes_to_its_twin_and_without_one_is_refused(string version)
    {
        var (device, own) = await server.DeviceAsync("dev-m-" + version);
        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exitCode, output) = await MosquittoClients.PublishAsync("-p", port, "-V", version, "-u", "dev", "-P", device, "-q", "1", "-t", $"doppel/twins/{own}/telemetry", "-m", """{"flow":7.5}""");
        Assert.True(exitCode == 0, $"mosquitto_pub exited {exitCode}: {output}");
        Assert.Equal(["flow=7.5"], await server.HistoryAsync(own));

        var (refusedCode, refusedOutput) = await MosquittoClients.PublishAsync("-p", port, "-V", version, "-u", "dev", "-q", "1", "-t", $"doppel/twins/{own}/telemetry", "-m", """{"flow":8.5}""");
        Assert.True(refusedCode != 0, $"mosquitto_pub without a password exited 0: {refusedOutput}");
        Assert.Contains("not authori", refusedOutput, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["flow=7.5"], await server.HistoryAsync(own));
    }

    [Fact]
    public async Task A_subscription_made_before_a_policy_narrowed_stops_delivering_at_once()
    {
        var first = await server.TwinAsync("narrow-1");
        var second = await server.TwinAsync("narrow-2");
        var key = await server.KeyAsync("watcher", "none");
        await server.OkAsync(HttpMethod.Put, "/doppel/auth/policies/watcher", """
            {"subjects":["key:watcher"],"entries":[{"resource":"twins","twins":{"idPrefix":"narrow-"},"grant":["read"]},
              {"resource":"telemetry","twins":{"idPrefix":"narrow-"},"grant":["read"]}]}
            """);
        var seen = Channel.CreateUnbounded<string>();
        using var watcher = await ConnectAsync("watcher-client", key);
        watcher.ApplicationMessageReceivedAsync += e => seen.Writer.WriteAsync(e.ApplicationMessage.Topic).AsTask();
        var granted = await watcher.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"doppel/twins/{first}/telemetry", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter($"doppel/twins/{second}/telemetry", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.All(granted.Items, i => Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, i.ResultCode));
        using var owner = await ConnectAsync("narrow-owner", await server.KeyAsync("narrow-owner", "owner"));

        await server.OkAsync(HttpMethod.Put, "/doppel/auth/policies/watcher-no-first", $$"""
            {"subjects":["key:watcher"],"entries":[{"resource":"twins","twins":{"idPrefix":"{{first}}"},"revoke":["read"]}]}
            """);
        await owner.PublishAsync($"doppel/twins/{first}/telemetry", """{"flow":1}""");
        await owner.PublishAsync($"doppel/twins/{second}/telemetry", """{"flow":2}""");

        // Published in this order to one session: had the first been delivered, it would come first.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal($"doppel/twins/{second}/telemetry", await seen.Reader.ReadAsync(timeout.Token));
    }

    [Fact]
    public async Task Another_identity_cannot_take_over_a_client_id_and_its_session()
    {
        var (device, _) = await server.DeviceAsync("dev-session");
        var other = await server.KeyAsync("intruder", "reader");
        using (var first = await ConnectAsync("shared-id", device))
        {
            await first.DisconnectAsync();
        }

        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithClientId("shared-id")
            .WithCleanSession(false).WithCredentials("intruder", other).Build());

        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, result.ResultCode);
        using var again = await ConnectAsync("shared-id", device);
        Assert.True(again.IsConnected);
    }

    private async Task<IMqttClient> ConnectAsync(string clientId, string key)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithClientId(clientId).WithCredentials("device", key).Build());
        return client;
    }

    private async Task<MqttClientConnectResultCode> ConnectResultAsync(string? user, string? password, MqttProtocolVersion version, string? clientId = null)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithProtocolVersion(version).WithClientId(clientId ?? "probe-" + Guid.NewGuid().ToString("N")[..8]);
        if (user is not null)
        {
            options.WithCredentials(user, password);
        }
        // MQTTnet 5 returns a refusal as the CONNACK's result rather than throwing.
        var result = await client.ConnectAsync(options.Build());
        if (result.ResultCode == MqttClientConnectResultCode.Success)
        {
            await client.DisconnectAsync();
        }
        return result.ResultCode;
    }

    /// <summary>A Doppel that requires credentials (its first owner key read from the data folder), with a pump model.</summary>
    public sealed class Secured : IAsyncLifetime
    {
        private const string Model = "dtmi:security:MqttPump;1";

        public ServerFixture Server { get; } = new() { Configure = o => o.RequireAuthentication = true };

        public async Task InitializeAsync()
        {
            await Server.InitializeAsync();
            var admin = (await File.ReadAllTextAsync(Path.Combine(Server.DataDirectory, "admin.key"))).Trim();
            Server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            await Server.PutModelsAsync($$"""
                [{"@context":"dtmi:dtdl:context;3","@id":"{{Model}}","@type":"Interface","contents":[{"@type":"Telemetry","name":"flow","schema":"double"}]}]
                """);
        }

        public Task DisposeAsync() => Server.DisposeAsync();

        public async Task<string> TwinAsync(string id)
        {
            await OkAsync(HttpMethod.Put, $"/digitaltwins/{id}", $$$"""{"$metadata":{"$model":"{{{Model}}}"}}""");
            return id;
        }

        public async Task<string> KeyAsync(string name, string role) =>
            (string)(await OkAsync(HttpMethod.Post, "/doppel/auth/keys", $$"""{"name":"{{name}}","role":"{{role}}"}"""))["key"]!;

        /// <summary>A device: a key with no role, its twin, and a policy letting it send the twin's telemetry and read it.</summary>
        public async Task<(string Key, string Twin)> DeviceAsync(string name)
        {
            var twin = await TwinAsync(name + "-pump");
            var key = await KeyAsync(name, "none");
            await OkAsync(HttpMethod.Put, $"/doppel/auth/policies/{name}", $$$"""
                {"subjects":["key:{{{name}}}"],
                 "entries":[{"resource":"telemetry","twins":{"idPrefix":"{{{twin}}}"},"grant":["read","write"]},
                            {"resource":"twins","twins":{"idPrefix":"{{{twin}}}"},"grant":["read"]}]}
                """);
            return (key, twin);
        }

        public async Task<List<string>> HistoryAsync(string twin) =>
            [.. (await OkAsync(HttpMethod.Get, $"/doppel/history/twins/{twin}?from=2000-01-01T00:00:00Z"))["value"]!.AsArray().Select(p => $"{p!["name"]}={p["value"]!.ToJsonString()}")];

        public async Task<JsonArray> DeadLettersAsync(string twin) =>
            (await OkAsync(HttpMethod.Get, $"/doppel/deadletters?twinId={twin}"))["value"]!.AsArray();

        public Task<JsonNode> OkAsync(HttpMethod method, string path, string? json = null) => Server.SendOkAsync(method, path, json);
    }
}
