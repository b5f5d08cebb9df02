using Microsoft.Extensions.Logging;

namespace Doppel.Packs.Health.Patients.Internal;

internal static partial class PatientLog
{
    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Patient twin {PatientId} is not followed: {Reason}")]
    public static partial void PatientNotFollowed(this ILogger logger, string patientId, string reason);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "A CGM reading of {Value} mg/dL for patient {PatientId} is left out: a CGM reads {Min} to {Max}")]
    public static partial void ReadingOutOfRange(this ILogger logger, string patientId, double value, double min, double max);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Error, Message = "Following patient {PatientId} failed on a reading; the reading itself is stored")]
    public static partial void FollowingFailed(this ILogger logger, Exception exception, string patientId);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Warning, Message = "The estimate of patient {PatientId} was not written: {Error}")]
    public static partial void EstimateNotWritten(this ILogger logger, string patientId, string error);
}
