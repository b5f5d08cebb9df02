namespace Doppel.Server.Analytics.Internal;

/// <summary>The predictor registry's and live predictions' log events (event ids 140-159).</summary>
internal static partial class PredictorLog
{
    [LoggerMessage(EventId = 140, Level = LogLevel.Warning, Message = "The stored predictor file {Path} is left out: {Error}")]
    public static partial void PredictorVersionLeftOut(this ILogger logger, string path, string error);

    // A predictor that cannot run is the predictor's problem, not the server's: warnings, counted in the metrics.
    [LoggerMessage(EventId = 141, Level = LogLevel.Warning, Message = "Predictor {Predictor} cannot be loaded and makes no predictions: {Error}")]
    public static partial void PredictorUnloadable(this ILogger logger, string predictor, string error);

    [LoggerMessage(EventId = 142, Level = LogLevel.Warning, Message = "Predictor {Predictor} failed on twin {TwinId}; the twin is left as it was")]
    public static partial void PredictionFailed(this ILogger logger, Exception exception, string predictor, string twinId);

    [LoggerMessage(EventId = 143, Level = LogLevel.Warning, Message = "The prediction of {Predictor} for twin {TwinId} could not be written: {Error}")]
    public static partial void PredictionNotWritten(this ILogger logger, string predictor, string twinId, string error);

    [LoggerMessage(EventId = 144, Level = LogLevel.Information, Message = "Predictor {Name} version {Version} trained in {Milliseconds} ms on {Source}")]
    public static partial void PredictorTrained(this ILogger logger, string name, int version, long milliseconds, string source);

    [LoggerMessage(EventId = 145, Level = LogLevel.Warning, Message = "Training predictor {Name} failed: {Error}")]
    public static partial void PredictorTrainingFailed(this ILogger logger, string name, string error);

    [LoggerMessage(EventId = 146, Level = LogLevel.Error, Message = "Training predictor {Name} failed unexpectedly")]
    public static partial void PredictorTrainingFault(this ILogger logger, Exception exception, string name);

    [LoggerMessage(EventId = 147, Level = LogLevel.Warning, Message = "Live predictions fell behind: the window of twin {TwinId} is rebuilt from history")]
    public static partial void PredictionQueueFull(this ILogger logger, string twinId);

    [LoggerMessage(EventId = 148, Level = LogLevel.Error, Message = "Reading the history of twin {TwinId} for predictor {Predictor} failed")]
    public static partial void PredictionHistoryFailed(this ILogger logger, Exception exception, string twinId, string predictor);
}
