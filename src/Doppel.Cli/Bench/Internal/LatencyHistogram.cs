namespace Doppel.Cli.Bench.Internal;

/// <summary>
/// A log-linear latency histogram in microseconds (HdrHistogram-style, 64 sub-buckets per power of two, under 1.6 % error),
/// owned by one worker so recording takes no lock; merged after the run.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 64;
    private const int LinearLimit = 2 * SubBuckets; // values below are exact
    private const int Exponents = 40;               // up to 2^46 µs, far beyond any run

    private readonly long[] _counts = new long[LinearLimit + (Exponents * SubBuckets)];

    public long Count { get; private set; }

    public long MaxMicroseconds { get; private set; }

    public void Record(long microseconds)
    {
        if (microseconds < 0)
        {
            microseconds = 0;
        }

        _counts[IndexOf(microseconds)]++;
        Count++;
        if (microseconds > MaxMicroseconds)
        {
            MaxMicroseconds = microseconds;
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        MaxMicroseconds = Math.Max(MaxMicroseconds, other.MaxMicroseconds);
    }

    /// <summary>The value at <paramref name="quantile"/> (0..1), as the upper bound of its bucket but never above the maximum.</summary>
    public long ValueAtQuantile(double quantile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(UpperBound(i), MaxMicroseconds);
            }
        }

        return MaxMicroseconds;
    }

    internal static int IndexOf(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }

        // shift puts value >> shift in [SubBuckets, 2 * SubBuckets).
        var shift = (63 - long.LeadingZeroCount(value)) - 6;
        var index = LinearLimit + ((shift - 1) * SubBuckets) + (int)((value >> (int)shift) - SubBuckets);
        return (int)Math.Min(index, (LinearLimit + (Exponents * SubBuckets)) - 1);
    }

    internal static long UpperBound(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        var shift = ((index - LinearLimit) / SubBuckets) + 1;
        var sub = ((index - LinearLimit) % SubBuckets) + SubBuckets;
        return ((long)(sub + 1) << shift) - 1;
    }
}
