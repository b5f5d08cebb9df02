using System.Text.Json.Nodes;

namespace Doppel.Packs;

/// <summary>
/// A device's connection to twins, provided by the host (over its MQTT broker): publishes telemetry or reported
/// properties to a twin, acknowledged once durable. Cancelling a publish ends it with <see cref="OperationCanceledException"/>.
/// </summary>
public interface IDeviceLink : IAsyncDisposable
{
    /// <summary>Publishes one message; <paramref name="payload"/> may carry <c>$sourceTime</c> and <c>$messageId</c>.</summary>
    Task PublishAsync(string twinId, DeviceMessageKind kind, JsonObject payload, CancellationToken ct);
}
