using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;

namespace Doppel.IntegrationTests;

/// <summary>
/// Real clients' defaults against `doppel serve`: Debian's mosquitto_pub and mosquitto_sub send no client id (and a clean
/// session) unless told to, as many device libraries do; the server assigns one (MQTT 3.1.1 section 3.1.3.1, MQTT 5
/// section 3.1.3.1.1).
/// </summary>
public sealed class MosquittoClientTests(MosquittoClientTests.Serve serve) : IClassFixture<MosquittoClientTests.Serve>
{
    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Mosquitto_pub_with_no_client_id_updates_the_twin(string version)
    {
        var twin = "pump-" + version;
        await serve.PutTwinAsync(twin);
        var rpm = version == "mqttv5" ? 1450.5 : 1450.25;

        // The issue's acceptance command, with the protocol version made explicit.
        var (exitCode, output) = await MosquittoClients.PublishAsync("-p", Port, "-V", version, "-t", $"doppel/twins/{twin}/properties", "-m", $$"""{"rpm":{{rpm}}}""", "-q", "1");

        Assert.True(exitCode == 0, $"mosquitto_pub exited {exitCode}: {output}");
        Assert.Equal(rpm, (double)(await serve.GetOkAsync($"/digitaltwins/{twin}"))["rpm"]!);
    }

    [Fact]
    public async Task The_issue_command_as_written_updates_pump1()
    {
        await serve.PutTwinAsync("pump1");

        var (exitCode, output) = await MosquittoClients.PublishAsync("-p", Port, "-t", "doppel/twins/pump1/properties", "-m", """{"rpm":1450.5}""", "-q", "1");

        Assert.True(exitCode == 0, $"mosquitto_pub exited {exitCode}: {output}");
        Assert.Equal(1450.5, (double)(await serve.GetOkAsync("/digitaltwins/pump1"))["rpm"]!);
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("mqttv5")]
    public async Task Mosquitto_sub_with_no_client_id_receives_routed_events(string version)
    {
        var twin = "routed-" + version;
        await serve.PutTwinAsync(twin);
        // Retained, so that the subscriber gets the event whenever it subscribes: no race between subscribing and publishing.
        await serve.SendOkAsync(HttpMethod.Put, $"/doppel/endpoints/mqtt-{version}", $$"""{"type":"mqtt","topic":"events-{{version}}/{twinId}/{type}","qos":1,"retain":true}""");
        await serve.SendOkAsync(HttpMethod.Put, $"/eventroutes/route-{version}", $$"""{"endpointName":"mqtt-{{version}}","filter":"type = 'microsoft.iot.telemetry' AND subject = '{{twin}}'"}""");
        var (exitCode, output) = await MosquittoClients.PublishAsync("-p", Port, "-V", version, "-t", $"doppel/twins/{twin}/telemetry", "-m", """{"flow":12.5}""", "-q", "1");
        Assert.True(exitCode == 0 && !output.Contains("failed", StringComparison.Ordinal), $"mosquitto_pub exited {exitCode}: {output}");

        var (subExitCode, received) = await MosquittoClients.SubscribeAsync("-p", Port, "-V", version, "-t", $"events-{version}/#", "-C", "1", "-W", "60", "-d", "-F", "TOPIC %t PAYLOAD %p");

        Assert.True(subExitCode == 0, $"mosquitto_sub exited {subExitCode}: {received}\n--- server ---\n{serve.Process.Output}");
        var lines = received.Split('\n');
        var message = Assert.Single(lines, l => l.StartsWith("TOPIC ", StringComparison.Ordinal)).Split(" PAYLOAD ", 2);
        Assert.Equal($"TOPIC events-{version}/{twin}/microsoft.iot.telemetry", message[0]);
        Assert.Equal(12.5, (double)JsonNode.Parse(message[1])!["data"]!["flow"]!);
        // It sent no id: MQTT 5 is told the one assigned (in the CONNACK), MQTT 3.1.1 has no way to be.
        Assert.Contains(lines, l => l.StartsWith(version == "mqttv5" ? "Client auto-" : "Client (null) received CONNACK", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(4, false, 0x02)] // MQTT 3.1.1 requires a refusal: return code 2, identifier rejected (3.1.3.1)
    [InlineData(4, true, 0x00)]  // with a clean session it is accepted
    [InlineData(5, false, 0x00)] // MQTT 5 assigns one whatever Clean Start says, as Mosquitto does
    [InlineData(5, true, 0x00)]
    public async Task An_empty_client_id_is_refused_only_where_MQTT_requires_it(byte protocolLevel, bool cleanSession, byte expectedCode)
    {
        // Client libraries refuse to send some of these CONNECTs, so they are written by hand: no id, keep-alive 60 s.
        List<byte> variable = [0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', protocolLevel, (byte)(cleanSession ? 0x02 : 0x00), 0x00, 0x3C];
        if (protocolLevel == 5)
        {
            variable.Add(0x00); // no properties
        }
        variable.AddRange([0x00, 0x00]); // a zero-length client id
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", int.Parse(Port, System.Globalization.CultureInfo.InvariantCulture));
        var stream = tcp.GetStream();
        await stream.WriteAsync((byte[])[0x10, (byte)variable.Count, .. variable]);

        // CONNACK: type, remaining length, flags, return (3.1.1) or reason (5) code, then MQTT 5's properties.
        var header = new byte[2];
        await stream.ReadExactlyAsync(header).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var body = new byte[header[1]];
        await stream.ReadExactlyAsync(body).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0x20, header[0]);
        Assert.Equal(expectedCode, body[1]);
        if (protocolLevel == 5)
        {
            // Property 0x12, Assigned Client Identifier: a UTF-8 string of 37 bytes (0x0025), "auto-" and 32 hex digits.
            Assert.Contains("120025" + Convert.ToHexString("auto-"u8), Convert.ToHexString(body), StringComparison.Ordinal);
        }
    }

    private string Port => serve.Process.MqttPort!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One `doppel serve` for the class, with a pump model.</summary>
    public sealed class Serve : IAsyncLifetime
    {
        internal DoppelProcess Process { get; private set; } = null!;

        private HttpClient _http = null!;

        public async Task InitializeAsync()
        {
            Process = await DoppelProcess.ServeAsync(Repository.TempFolder(), "http://127.0.0.1:0");
            _http = new HttpClient { BaseAddress = Process.Address("http") };
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "any-token");
            await SendOkAsync(HttpMethod.Post, "/models", """
                [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:mosquitto:Pump;1","@type":"Interface",
                  "contents":[{"@type":"Property","name":"rpm","schema":"double"},{"@type":"Telemetry","name":"flow","schema":"double"}]}]
                """);
        }

        public async Task DisposeAsync()
        {
            _http.Dispose();
            await Process.DisposeAsync();
        }

        public Task PutTwinAsync(string id) => SendOkAsync(HttpMethod.Put, $"/digitaltwins/{id}", """{"$metadata":{"$model":"dtmi:mosquitto:Pump;1"}}""");

        public Task<JsonNode> GetOkAsync(string path) => SendOkAsync(HttpMethod.Get, path);

        public async Task<JsonNode> SendOkAsync(HttpMethod method, string path, string? json = null)
        {
            using var request = new HttpRequestMessage(method, $"{path}?api-version={ServerFixture.ApiVersion}");
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{method} {path} -> {(int)response.StatusCode}: {text}\n--- server ---\n{Process.Output}");
            return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
        }
    }
}
