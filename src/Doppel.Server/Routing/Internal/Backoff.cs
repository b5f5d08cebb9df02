namespace Doppel.Server.Routing.Internal;

/// <summary>Exponential backoff with jitter: the wait after failed attempt n is initial * 2^(n-1), capped at max, times a factor in [0.8, 1].</summary>
internal static class Backoff
{
    public static TimeSpan After(int failedAttempts, TimeSpan initial, TimeSpan max, double unitRandom)
    {
        var exponent = Math.Min(failedAttempts - 1, 30);
        var ticks = Math.Min(initial.Ticks * Math.Pow(2, exponent), max.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (0.8 + (0.2 * unitRandom))));
    }
}
