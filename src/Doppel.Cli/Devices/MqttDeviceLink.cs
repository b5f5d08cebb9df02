using System.Text.Json.Nodes;
using Doppel.Ingest;
using Doppel.Packs;
using MQTTnet;
using MQTTnet.Protocol;

namespace Doppel.Cli.Devices;

/// <summary>
/// A pack's device link over MQTT: publishes to a twin's convention topic at QoS 1, so the broker acknowledges once the
/// message is durable. A publish cut short by cancellation ends as cancelled, whatever MQTTnet reports (a timeout, a
/// closed connection), so that stopping a demo is not an error.
/// </summary>
internal sealed class MqttDeviceLink : IDeviceLink
{
    private readonly IMqttClient _client;

    private MqttDeviceLink(IMqttClient client) => _client = client;

    public static async Task<MqttDeviceLink> ConnectAsync(Uri broker, string clientId, CancellationToken ct) =>
        new(await Cancellable(() => DeviceSimulator.ConnectAsync(broker, clientId, ct), ct));

    public async Task PublishAsync(string twinId, DeviceMessageKind kind, JsonObject payload, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var topic = kind == DeviceMessageKind.Telemetry ? ConventionTopics.Telemetry(twinId) : ConventionTopics.Properties(twinId);
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload.ToJsonString())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        await Cancellable(() => _client.PublishAsync(message, ct), ct);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token);
            }
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or ObjectDisposedException)
        {
            // The broker is gone already (the server stopped first): nothing to say goodbye to.
        }
        _client.Dispose();
    }

    // MQTTnet reports a publish or connect cut short by the caller's token as a timeout or a communication error.
    private static async Task<T> Cancellable<T>(Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("Stopped.", e, ct);
        }
    }
}
