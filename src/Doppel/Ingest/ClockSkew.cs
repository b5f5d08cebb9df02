using System.Globalization;

namespace Doppel.Ingest;

/// <summary>
/// Refuses readings stamped too far ahead of the server's clock. The newest source time wins a twin's live value and
/// reported properties, so one reading stamped in year 9999 (a device with a broken clock, milliseconds sent as
/// seconds) would hold them for ever.
/// </summary>
public static class ClockSkew
{
    /// <summary>How far ahead of the server a device's clock may run by default.</summary>
    public static TimeSpan Default { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Null when <paramref name="sourceTime"/> is at most <paramref name="maxSkew"/> ahead of <paramref name="now"/>, else why not (code <see cref="DeadLetterReason.FutureTimestamp"/>).</summary>
    /// <param name="sourceTime">When the device says it measured.</param>
    /// <param name="now">The server's clock.</param>
    /// <param name="maxSkew">How far ahead a source time may be.</param>
    /// <param name="what">What carried the time, for the message (e.g. <c>$sourceTime</c>).</param>
    public static DoppelError? Check(DateTimeOffset sourceTime, DateTimeOffset now, TimeSpan maxSkew, string what = "The source time")
    {
        var ahead = sourceTime - now;
        if (ahead <= maxSkew)
        {
            return null;
        }
        var time = sourceTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
        var clock = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
        return new DoppelError(DeadLetterReason.FutureTimestamp,
            $"{what} {time} is {Describe(ahead)} ahead of the server's clock ({clock}); readings more than {Describe(maxSkew)} ahead are refused. Check the device's clock (and that its times are not milliseconds read as seconds).");
    }

    /// <summary>A duration as a person says it: <c>5 minutes 1 second</c>, <c>1 hour</c>, <c>2912345.5 days</c>.</summary>
    public static string Describe(TimeSpan duration)
    {
        if (duration.TotalDays >= 1)
        {
            return Count(Math.Round(duration.TotalDays, 1), "day");
        }
        if (duration < TimeSpan.FromSeconds(1))
        {
            return Count(Math.Round(duration.TotalMilliseconds, 1), "millisecond");
        }
        var parts = new List<string>(3);
        if (duration.Hours > 0)
        {
            parts.Add(Count(duration.Hours, "hour"));
        }
        if (duration.Minutes > 0)
        {
            parts.Add(Count(duration.Minutes, "minute"));
        }
        var seconds = duration.Seconds + Math.Round(duration.Milliseconds / 1000.0, 1);
        if (seconds > 0)
        {
            parts.Add(Count(seconds, "second"));
        }
        return string.Join(' ', parts);
    }

    private static string Count(double value, string unit) =>
        value.ToString("0.#", CultureInfo.InvariantCulture) + " " + unit + (value == 1 ? "" : "s");
}
