using Microsoft.Extensions.Logging;

namespace Doppel.Packs.Mobility.Live.Internal;

internal static partial class LiveLog
{
    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "City {City} is not followed: {Reason}")]
    public static partial void CityNotFollowed(this ILogger logger, string city, string reason);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Error, Message = "Estimating the link flows of city {City} failed on a period; the counts themselves are stored")]
    public static partial void FollowingFailed(this ILogger logger, Exception exception, string city);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Warning, Message = "The flow estimate of road {Road} was not written: {Error}")]
    public static partial void EstimateNotWritten(this ILogger logger, string road, string error);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Warning, Message = "A count of {Detector} for {Time} arrived after that period was estimated; it is stored, not assimilated")]
    public static partial void LateCount(this ILogger logger, string detector, DateTimeOffset time);
}
