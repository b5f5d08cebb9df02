using Doppel.Ingest;
using Doppel.Server.Ingest;
using Doppel.Server.Runtime;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace Doppel.Server.Mqtt;

/// <summary>
/// Bridge mode: subscribes to an external broker (Mosquitto, EMQX, HiveMQ) at QoS 1 with a persistent session and ingests
/// what arrives, acknowledging each message only once it is durable; while Doppel is down the broker keeps the messages.
/// </summary>
public sealed class MqttBridge(IOptions<DoppelServerOptions> options, IngestPipeline pipeline, TwinRuntime runtime, ILogger<MqttBridge> logger) : BackgroundService
{
    private IMqttClient? _client;
    private Task _lastAck = Task.CompletedTask;
    private readonly Lock _ackOrder = new();

    /// <summary>Set once the first subscription is acknowledged by the external broker.</summary>
    public TaskCompletionSource Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Publishes through the external broker (for routed events in bridge mode).</summary>
    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfServiceLevel qos, bool retain, CancellationToken ct)
    {
        var client = _client ?? throw new InvalidOperationException("The MQTT bridge is not connected.");
        return client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload.ToArray()).WithQualityOfServiceLevel(qos).WithRetainFlag(retain).Build(), ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.MqttBridge is not { } broker)
        {
            return;
        }
        using var client = new MqttClientFactory().CreateMqttClient();
        _client = client;
        client.ApplicationMessageReceivedAsync += OnMessage;
        var clientOptions = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithClientId(options.Value.MqttBridgeClientId)
            .WithCleanSession(false)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .Build();
        var delay = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!client.IsConnected)
                {
                    await client.ConnectAsync(clientOptions, stoppingToken);
                    var filters = Filters();
                    var subscribe = new MqttClientSubscribeOptionsBuilder();
                    foreach (var filter in filters)
                    {
                        subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
                    }
                    await client.SubscribeAsync(subscribe.Build(), stoppingToken);
                    logger.MqttBridgeConnected(broker, string.Join(", ", filters));
                    Connected.TrySetResult();
                    delay = TimeSpan.FromMilliseconds(100);
                }
                await client.PingAsync(stoppingToken);
                await Task.Delay(TimeSpan.FromSeconds(1), runtime.Time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
            {
                logger.MqttBridgeDisconnected(e, broker);
                await Task.Delay(delay, runtime.Time, stoppingToken).ContinueWith(static _ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }
    }

    private List<string> Filters()
    {
        var filters = new List<string> { ConventionTopics.Filter };
        filters.AddRange(runtime.Mappings.Mappings.Select(m => m.Topic.Filter));
        filters.AddRange(options.Value.MqttBridgeTopics);
        return [.. filters.Distinct(StringComparer.Ordinal)];
    }

    private Task OnMessage(MqttApplicationMessageReceivedEventArgs e)
    {
        // Ingest concurrently (group commit needs many in flight), but acknowledge in arrival order as MQTT requires.
        e.AutoAcknowledge = false;
        var message = e.ApplicationMessage;
        var ingest = IngestAsync(message);
        lock (_ackOrder)
        {
            var previous = _lastAck;
            _lastAck = AcknowledgeAfter(previous, ingest, e);
        }
        return Task.CompletedTask;
    }

    private async Task IngestAsync(MqttApplicationMessage message)
    {
        try
        {
            await pipeline.PublishAsync("bridge", options.Value.MqttBridgeClientId, message.Topic, message.Payload, MessageIds.From(message), message.Dup, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.MqttIngestFailed(e, message.Topic);
            throw;
        }
    }

    private static async Task AcknowledgeAfter(Task previous, Task ingest, MqttApplicationMessageReceivedEventArgs e)
    {
        await previous.ConfigureAwait(false);
        try
        {
            await ingest.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Not acknowledged: the broker redelivers it on the next session.
            return;
        }
        await e.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
