using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.IntegrationTests.Support;
using Doppel.Server;
using Doppel.Server.Mqtt;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace Doppel.IntegrationTests;

/// <summary>
/// HTTPS and MQTTS with the user's certificate (a test CA's, made when the test runs): real TLS clients that trust only
/// that CA, MQTT client certificates validated against the CA bundle, Debian's mosquitto_pub, and the one-line errors
/// `doppel serve` gives for certificate files it cannot use.
/// </summary>
public sealed class TransportSecurityTests(TransportSecurityTests.TlsServer tls) : IClassFixture<TransportSecurityTests.TlsServer>
{
    [Fact]
    public async Task Https_serves_the_users_PEM_certificate_to_a_client_that_trusts_only_its_CA()
    {
        using var http = tls.Pki.TrustingClient(tls.Server.HttpsAddress!);

        using var response = await http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(tls.Pki.Server.Thumbprint, tls.Server.Certificate!.Certificate.Thumbprint);
        Assert.False(tls.Server.Certificate.IsDevelopment);
    }

    [Fact]
    public async Task An_MQTTS_client_without_a_certificate_publishes_when_certificates_are_optional()
    {
        using var client = await ConnectAsync("tls-anonymous", certificate: null);

        var published = await client.PublishAsync("doppel/twins/tls-pump/properties", """{"rpm":1200.5}""");

        Assert.True(published.IsSuccess, published.ReasonCode.ToString());
        Assert.Equal(1200.5, (double)(await tls.GetAsync("/digitaltwins/tls-pump"))["rpm"]!);
        Assert.Null(await Broker.ClientCertificateAsync("tls-anonymous"));
    }

    [Fact]
    public async Task A_client_certificate_from_the_trusted_CA_is_validated_and_kept_on_the_session()
    {
        using var client = await ConnectAsync("tls-press-7", tls.Pki.Client);

        // MQTTnet lists the session a moment after the CONNACK the client returns on: wait for it.
        var presented = await Poll.UntilAsync(() => Broker.ClientCertificateAsync("tls-press-7"), c => c is not null, "the session of tls-press-7 with its certificate");

        Assert.True(client.IsConnected);
        Assert.NotNull(presented);
        Assert.Equal("CN=press-7, O=Doppel Test", presented.Subject);
        Assert.Equal(tls.Pki.Client.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), presented.Thumbprint);
    }

    [Fact]
    public async Task A_client_certificate_from_another_CA_is_refused_in_the_handshake()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync("tls-stranger", tls.Pki.Stranger));

        Assert.Null(await Broker.ClientCertificateAsync("tls-stranger"));
        Assert.NotNull(refused);
    }

    [Fact]
    public async Task Mosquitto_pub_publishes_over_TLS_with_the_CA_file_and_with_a_client_certificate()
    {
        var port = tls.Server.MqttsPort!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (plain, plainOutput) = await MosquittoClients.PublishAsync("--cafile", tls.Pki.CaPem, "-h", "127.0.0.1", "-p", port, "-t", "doppel/twins/mosq-tls/properties", "-m", """{"rpm":77.5}""", "-q", "1");
        var (withCertificate, certificateOutput) = await MosquittoClients.PublishAsync("--cafile", tls.Pki.CaPem, "--cert", tls.Pki.ClientPem, "--key", tls.Pki.ClientKey,
            "-h", "localhost", "-p", port, "-t", "doppel/twins/mosq-tls/properties", "-m", """{"rpm":88.5}""", "-q", "1");
        var (untrusting, _) = await MosquittoClients.PublishAsync("--cafile", tls.Server.CertificatePemPath, "-h", "127.0.0.1", "-p", port, "-t", "x", "-m", "{}", "-q", "1");

        Assert.True(plain == 0, plainOutput);
        Assert.True(withCertificate == 0, certificateOutput);
        Assert.NotEqual(0, untrusting); // the development certificate's PEM does not vouch for the user's certificate
        Assert.Equal(88.5, (double)(await tls.GetAsync("/digitaltwins/mosq-tls"))["rpm"]!);
    }

    [Fact]
    public async Task The_broker_listens_only_on_the_address_it_was_given()
    {
        foreach (var port in new[] { tls.Server.MqttPort!.Value, tls.Server.MqttsPort!.Value })
        {
            using var v6 = new TcpClient(AddressFamily.InterNetworkV6);
            var refused = await Assert.ThrowsAsync<SocketException>(() => v6.ConnectAsync(IPAddress.IPv6Loopback, port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
    }

    private EmbeddedBroker Broker => (EmbeddedBroker)tls.Server.Services.GetService(typeof(EmbeddedBroker))!;

    private async Task<IMqttClient> ConnectAsync(string clientId, X509Certificate2? certificate)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", tls.Server.MqttsPort!.Value)
            .WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithTlsOptions(o =>
            {
                o.UseTls();
                o.WithTargetHost("localhost");
                o.WithCertificateValidationHandler(e => tls.Pki.TrustedByCa(e.Certificate));
                if (certificate is not null)
                {
                    o.WithClientCertificates([certificate]);
                }
            })
            .Build();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await client.ConnectAsync(options, timeout.Token);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>A server with the test CA's certificate as PEM and key, MQTT and MQTTS on free ports, client certificates optional and issued by the CA.</summary>
    public sealed class TlsServer : IAsyncLifetime
    {
        private readonly ErrorLog _log = new();
        private HttpClient _http = null!;

        internal TestCertificates Pki { get; } = TestCertificates.Create();

        public DoppelServer Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Server = await DoppelServer.StartAsync(new DoppelServerOptions
            {
                DataDirectory = Repository.TempFolder(),
                Urls = "http://127.0.0.1:0;https://127.0.0.1:0",
                MqttPort = 0,
                MqttsPort = 0,
                CertificatePath = Pki.ServerPem,
                CertificateKeyPath = Pki.ServerKey,
                MqttClientCertificates = MqttClientCertificateMode.Optional,
                MqttClientCaPath = Pki.CaPem,
            }, logging => logging.AddProvider(_log));
            _http = new HttpClient { BaseAddress = Server.HttpAddress };
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "any-token");
            await SendAsync(HttpMethod.Post, "/models", """
                [{"@context":"dtmi:dtdl:context;3","@id":"dtmi:tls:Pump;1","@type":"Interface","contents":[{"@type":"Property","name":"rpm","schema":"double"}]}]
                """);
            foreach (var twin in new[] { "tls-pump", "mosq-tls" })
            {
                await SendAsync(HttpMethod.Put, $"/digitaltwins/{twin}", """{"$metadata":{"$model":"dtmi:tls:Pump;1"}}""");
            }
        }

        public async Task DisposeAsync()
        {
            _http.Dispose();
            await Server.DisposeAsync();
            Assert.True(_log.Errors.IsEmpty, "The server logged errors:\n" + string.Join("\n", _log.Errors));
        }

        public Task<JsonNode> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

        private async Task<JsonNode> SendAsync(HttpMethod method, string path, string? json = null)
        {
            using var request = new HttpRequestMessage(method, $"{path}?api-version={ServerFixture.ApiVersion}");
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{method} {path} -> {(int)response.StatusCode}: {text}");
            return JsonNode.Parse(text)!;
        }
    }
}
