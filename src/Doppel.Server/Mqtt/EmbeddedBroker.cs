using System.Net;
using System.Net.Sockets;
using Doppel.Server.Ingest;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Doppel.Server.Mqtt;

/// <summary>
/// The MQTT broker inside <c>doppel serve</c> (MQTTnet, MQTT 3.1.1 and 5): devices publish to it, and each publish on a
/// convention or mapped topic is ingested before its PUBACK, so a QoS 1 acknowledgement means durable. Other topics are
/// brokered as usual, and ingested messages are still delivered to subscribers.
/// </summary>
public sealed class EmbeddedBroker(IOptions<DoppelServerOptions> options, IngestPipeline pipeline, ILogger<EmbeddedBroker> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>The client id Doppel uses when it publishes (routed events), so that its own messages are not ingested again.</summary>
    public const string InternalClientId = "doppel";

    private MqttServer? _server;

    /// <summary>The port the broker listens on (resolved when 0 was asked), or null when it is off.</summary>
    public int? Port { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MqttPort is not { } port)
        {
            return;
        }
        // MQTTnet does not report the port it bound, so "any free port" is resolved here.
        Port = port == 0 ? FreePort() : port;
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(options.Value.MqttBindAddress))
            .WithDefaultEndpointPort(Port.Value)
            .WithPersistentSessions()
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.InterceptingPublishAsync += OnPublishAsync;
        _server.ValidatingConnectionAsync += OnConnecting;
        await _server.StartAsync();
        logger.MqttBrokerStarted(options.Value.MqttBindAddress, Port.Value);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            await server.StopAsync();
        }
    }

    /// <summary>Publishes a message as Doppel (not ingested again); used for routed events.</summary>
    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfServiceLevel qos, bool retain, CancellationToken ct)
    {
        var server = _server ?? throw new InvalidOperationException("The embedded MQTT broker is not running.");
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload.ToArray()).WithQualityOfServiceLevel(qos).WithRetainFlag(retain).Build();
        return server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = InternalClientId }, ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.StopAsync();
            server.Dispose();
        }
    }

    private async Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        if (e.ClientId == InternalClientId)
        {
            return;
        }
        var message = e.ApplicationMessage;
        var outcome = await pipeline.PublishAsync("mqtt", e.ClientId, message.Topic, message.Payload, MessageIds.From(message), message.Dup, e.CancellationToken);
        if (outcome == IngestOutcome.DeadLettered)
        {
            // MQTT 5 publishers learn of the refusal in the PUBACK; the message is not passed on to subscribers.
            e.Response.ReasonCode = MqttPubAckReasonCode.PayloadFormatInvalid;
            e.Response.ReasonString = "Refused by Doppel; see /doppel/deadletters.";
            e.ProcessPublish = false;
        }
    }

    /// <summary>A client that sends no id gets one (MQTT 3.1.1 and 5 allow it for a clean session; mosquitto_pub relies on it).</summary>
    private static Task OnConnecting(ValidatingConnectionEventArgs e)
    {
        if (string.IsNullOrEmpty(e.ClientId))
        {
            if (e.CleanSession is not false)
            {
                e.AssignedClientIdentifier = "auto-" + Guid.NewGuid().ToString("N");
                e.ReasonCode = MqttConnectReasonCode.Success;
            }
            else
            {
                e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            }
        }
        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
