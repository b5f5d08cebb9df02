namespace Doppel.Server;

/// <summary>The server's log events, source-generated (no interpolation on the hot path).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}")]
    public static partial void UnhandledRequestError(this ILogger logger, Exception exception, string method, string? path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Delete job {JobId} failed")]
    public static partial void DeleteJobFailed(this ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Import job {JobId} failed")]
    public static partial void ImportJobFailed(this ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "MQTT broker started on {Address}, port {Port}")]
    public static partial void MqttBrokerStarted(this ILogger logger, string address, int port);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "MQTT bridge connected to {Broker}, subscribed to {Filters}")]
    public static partial void MqttBridgeConnected(this ILogger logger, Uri broker, string filters);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "MQTT bridge to {Broker} lost its connection; reconnecting")]
    public static partial void MqttBridgeDisconnected(this ILogger logger, Exception? exception, Uri broker);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "Ingesting an MQTT message on {Topic} failed")]
    public static partial void MqttIngestFailed(this ILogger logger, Exception exception, string topic);
}
