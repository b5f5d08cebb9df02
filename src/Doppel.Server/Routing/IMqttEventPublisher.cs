namespace Doppel.Server.Routing;

/// <summary>
/// Publishes routed events to MQTT (the embedded broker or a bridge). Optional: registered in DI by the MQTT part of the
/// server; without it, endpoints of type <c>mqtt</c> are refused.
/// </summary>
public interface IMqttEventPublisher
{
    /// <summary>Publishes one message; completes when the broker has accepted it (for QoS 1, once acknowledged) and throws when it could not.</summary>
    /// <param name="topic">The topic, placeholders already filled in.</param>
    /// <param name="payload">The CloudEvent as structured-mode JSON.</param>
    /// <param name="qos">0 or 1.</param>
    /// <param name="retain">Whether the broker keeps it as the topic's retained message.</param>
    /// <param name="ct">Cancelled when the server stops.</param>
    Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken ct);
}
