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

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Hub method {Method} failed")]
    public static partial void HubMethodFailed(this ILogger logger, Exception exception, string method);
}
