using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Doppel.Ingest;
using Doppel.Server.Ingest;
using Doppel.Server.Mqtt.Internal;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;
using MQTTnet.Server.Internal.Adapter;

namespace Doppel.Server.Mqtt;

/// <summary>
/// The MQTT broker inside <c>doppel serve</c> (MQTTnet, MQTT 3.1.1 and 5): devices publish to it, and each publish on a
/// convention or mapped topic is ingested before its PUBACK, so a QoS 1 acknowledgement means durable. Other topics are
/// brokered as usual, and ingested messages are still delivered to subscribers.
/// </summary>
/// <remarks>
/// MQTTnet handles one PUBLISH per connection at a time and sends its PUBACK as soon as the publish interceptor returns.
/// Waiting there for the group commit would cap a connection at one message per commit. Instead the publish interceptor
/// starts ingestion and queues it per session, and the outbound interceptor holds each PUBACK (sent in arrival order) until
/// its message is durable: a connection keeps many messages in flight, and an acknowledgement still means durable.
/// </remarks>
/// <para>
/// Security: a client authenticates with an API key as its password (any user name), or a client certificate bound to a
/// key; without credentials only where anonymous access is allowed. What it may publish and subscribe to follows its
/// access rules (<see cref="MqttAccess"/>), judged at each packet, so a policy change or a revoked key applies at once.
/// </para>
public sealed partial class EmbeddedBroker(IOptions<DoppelServerOptions> options, IngestPipeline pipeline, ILogger<EmbeddedBroker> logger, MqttAccess access, Hosting.ServerCertificate? certificate = null) : IHostedService, IAsyncDisposable
{
    /// <summary>The client id Doppel uses when it publishes (routed events), so that its own messages are not ingested again.</summary>
    public const string InternalClientId = "doppel";

    private const string PendingKey = "doppel.pending-acknowledgements";

    private MqttServer? _server;

    /// <summary>The port the broker listens on (resolved when 0 was asked), or null when it is off.</summary>
    public int? Port { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MqttPort is null && options.Value.MqttsPort is null)
        {
            return;
        }
        var builder = new MqttServerOptionsBuilder().WithPersistentSessions();
        if (options.Value.MqttPort is { } port)
        {
            // MQTTnet does not report the port it bound, so "any free port" is resolved here.
            Port = port == 0 ? FreePort() : port;
            var (v4, v6) = BoundAddresses(options.Value.MqttBindAddress);
            builder.WithDefaultEndpoint()
                .WithDefaultEndpointBoundIPAddress(v4)
                .WithDefaultEndpointBoundIPV6Address(v6)
                .WithDefaultEndpointPort(Port.Value);
        }
        var serverOptions = builder.Build();
        serverOptions.DefaultEndpointOptions.IsEnabled = options.Value.MqttPort is not null;
        ConfigureTls(serverOptions);
        _server = new MqttServerFactory().CreateMqttServer(serverOptions, [new ClientIdAssigningAdapter(new MqttTcpServerAdapter())]);
        _server.InterceptingPublishAsync += OnPublishAsync;
        _server.InterceptingSubscriptionAsync += access.OnSubscribing;
        _server.InterceptingClientEnqueueAsync += access.OnEnqueuing;
        _server.ClientDisconnectedAsync += access.OnDisconnected;
        _server.InterceptingOutboundPacketAsync += OnOutboundAsync;
        _server.ValidatingConnectionAsync += OnConnecting;
        _server.ValidatingConnectionAsync += NoteClientCertificate;
        _server.ClientConnectedAsync += OnConnected;
        await _server.StartAsync();
        if (Port is { } plain)
        {
            logger.MqttBrokerStarted(options.Value.MqttBindAddress, plain);
        }
        if (serverOptions.TlsEndpointOptions.IsEnabled)
        {
            // MQTTnet writes the port it bound back into the endpoint's options.
            TlsPort = serverOptions.TlsEndpointOptions.Port;
            logger.MqttsBrokerStarted(options.Value.MqttBindAddress, TlsPort.Value, options.Value.MqttClientCertificates.ToString().ToLowerInvariant());
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            await server.StopAsync();
        }
    }

    /// <summary>Completes once the broker has finished with a client's connection (at once when it has none).</summary>
    public async Task WaitUntilDisconnectedAsync(string clientId, CancellationToken ct = default)
    {
        var server = _server ?? throw new InvalidOperationException("The embedded MQTT broker is not running.");
        var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task OnDisconnected(ClientDisconnectedEventArgs e)
        {
            if (e.ClientId == clientId)
            {
                gone.TrySetResult();
            }
            return Task.CompletedTask;
        }
        server.ClientDisconnectedAsync += OnDisconnected;
        try
        {
            if ((await server.GetClientsAsync()).Any(c => c.Id == clientId))
            {
                await gone.Task.WaitAsync(ct);
            }
        }
        finally
        {
            server.ClientDisconnectedAsync -= OnDisconnected;
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

    private Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        if (e.ClientId == InternalClientId)
        {
            return Task.CompletedTask;
        }
        var message = e.ApplicationMessage;
        var rules = access.RulesOf(e.SessionItems);
        if (access.Refusal(rules, message.Topic) is { } refused)
        {
            // Neither ingested nor passed on to subscribers; MQTT 5 publishers hear "not authorized".
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            e.Response.ReasonString = refused;
            var denied = DenyAsync(e.ClientId, message, refused);
            if (message.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce)
            {
                Pending(e.SessionItems).Enqueue(denied);
            }
            return Task.CompletedTask;
        }
        var ingest = IngestAsync(e.ClientId, message, rules);
        if (message.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce)
        {
            Pending(e.SessionItems).Enqueue(ingest);
        }
        return Task.CompletedTask;
    }

    private async Task<IngestOutcome> IngestAsync(string clientId, MqttApplicationMessage message, Doppel.Security.AccessRules? rules)
    {
        try
        {
            return await pipeline.PublishAsync("mqtt", clientId, message.Topic, message.Payload, MessageIds.From(message), message.Dup, CancellationToken.None, rules);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.MqttIngestFailed(e, message.Topic);
            throw;
        }
    }

    /// <summary>Keeps a refused message as a dead letter (reason Forbidden), as ingestion does with those it refuses.</summary>
    private async Task<IngestOutcome> DenyAsync(string clientId, MqttApplicationMessage message, string why)
    {
        try
        {
            var twinId = ConventionTopics.TryParse(message.Topic, out var id, out _, out _) ? id : null;
            await pipeline.DeadLetterAsync("mqtt", message.Topic, clientId, twinId, DeadLetterReason.Forbidden, why, message.Payload, Stopwatch.GetTimestamp());
            return IngestOutcome.Denied;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.MqttIngestFailed(e, message.Topic);
            throw;
        }
    }

    /// <summary>Holds a PUBACK (or a QoS 2 PUBREC) until its message is durable; a refused message gets MQTT 5's reason code.</summary>
    private async Task OnOutboundAsync(InterceptingPacketEventArgs e)
    {
        if (e.Packet is not (MqttPubAckPacket or MqttPubRecPacket) || !Pending(e.SessionItems).TryDequeue(out var ingest))
        {
            return;
        }
        IngestOutcome outcome;
        try
        {
            outcome = await ingest;
        }
        catch (Exception)
        {
            // Not durable, so not acknowledged: the device sends it again.
            e.ProcessPacket = false;
            return;
        }
        if (outcome == IngestOutcome.Denied)
        {
            const string denied = "Not authorized: the client's access rules refuse this publish.";
            if (e.Packet is MqttPubAckPacket deniedAck)
            {
                deniedAck.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
                deniedAck.ReasonString = denied;
            }
            else if (e.Packet is MqttPubRecPacket deniedRec)
            {
                deniedRec.ReasonCode = MqttPubRecReasonCode.NotAuthorized;
                deniedRec.ReasonString = denied;
            }
        }
        else if (outcome == IngestOutcome.DeadLettered)
        {
            const string why = "Refused by Doppel; see /doppel/deadletters.";
            if (e.Packet is MqttPubAckPacket ack)
            {
                ack.ReasonCode = MqttPubAckReasonCode.PayloadFormatInvalid;
                ack.ReasonString = why;
            }
            else if (e.Packet is MqttPubRecPacket rec)
            {
                rec.ReasonCode = MqttPubRecReasonCode.PayloadFormatInvalid;
                rec.ReasonString = why;
            }
        }
    }

    /// <summary>A new connection starts with no acknowledgements owed (a resumed session's old ones went with the old connection).</summary>
    private Task OnConnected(ClientConnectedEventArgs e)
    {
        e.SessionItems[PendingKey] = new ConcurrentQueue<Task<IngestOutcome>>();
        MoveClientCertificate(e);
        return Task.CompletedTask;
    }

    private static ConcurrentQueue<Task<IngestOutcome>> Pending(System.Collections.IDictionary items)
    {
        if (items[PendingKey] is ConcurrentQueue<Task<IngestOutcome>> queue)
        {
            return queue;
        }
        lock (items)
        {
            if (items[PendingKey] is not ConcurrentQueue<Task<IngestOutcome>> created)
            {
                created = new ConcurrentQueue<Task<IngestOutcome>>();
                items[PendingKey] = created;
            }
            return created;
        }
    }

    /// <summary>
    /// An MQTT 5 client that sends no id gets one, returned in the CONNACK as its Assigned Client Identifier (MQTT 5
    /// 3.1.3.1, whatever its Clean Start, as Mosquitto does); MQTT 3.1.1 clients got theirs from
    /// <see cref="ClientIdAssigningAdapter"/> and MQTT 3.1 requires one. mosquitto_pub and mosquitto_sub rely on it.
    /// </summary>
    private Task OnConnecting(ValidatingConnectionEventArgs e)
    {
        if (string.IsNullOrEmpty(e.ClientId) && e.ProtocolVersion == MQTTnet.Formatter.MqttProtocolVersion.V500)
        {
            e.AssignedClientIdentifier = ClientIdAssigningAdapter.NewId();
        }
        if (e.ClientId == InternalClientId)
        {
            // Doppel's own messages (routed events) are not judged: no client may publish under its name.
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            e.ReasonString = $"The client id '{InternalClientId}' is Doppel's own; choose another.";
            return Task.CompletedTask;
        }
        access.Authenticate(e);
        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
