using Doppel.Server.Routing;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;

namespace Doppel.Server.Mqtt;

/// <summary>Routed events to MQTT: through the external broker in bridge mode (where the subscribers are), else the embedded one.</summary>
internal sealed class MqttEventPublisher(IOptions<DoppelServerOptions> options, EmbeddedBroker broker, MqttBridge bridge) : IMqttEventPublisher
{
    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken ct)
    {
        var level = qos == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce;
        return options.Value.MqttBridge is not null
            ? bridge.PublishAsync(topic, payload, level, retain, ct)
            : broker.PublishAsync(topic, payload, level, retain, ct);
    }
}
