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

/// <summary>What a device message carries.</summary>
public enum DeviceMessageKind
{
    /// <summary>Measurements (history and live values, not the twin document).</summary>
    Telemetry,

    /// <summary>Reported properties (the twin document, and history).</summary>
    Properties,
}
