using System.Threading.RateLimiting;

namespace Doppel.Server.Security.Internal;

/// <summary>
/// A token bucket on an injected <see cref="TimeProvider"/>: <c>perSecond</c> tokens a second, holding at most one
/// second's worth (the burst). Refilled lazily from the clock on each acquire, so it needs no timer, and a test steps
/// it with a fake clock. Never queues: a request it cannot serve now is refused with the time until it could be.
/// </summary>
/// <remarks>.NET's <see cref="TokenBucketRateLimiter"/> reads <c>Stopwatch</c> directly, so tests could not control it.</remarks>
internal sealed class TokenBucket : RateLimiter
{
    private static readonly RateLimitLease Granted = new Lease(true, null);

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly double _perSecond;
    private double _tokens;
    private long _refilledAt;
    private long _lastUsed;

    public TokenBucket(int perSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perSecond, 1);
        _time = time;
        _perSecond = perSecond;
        _tokens = perSecond;
        _refilledAt = _lastUsed = time.GetTimestamp();
    }

    /// <summary>How long the bucket has been full and unused: the partitioned limiter drops it then (a new one is the same).</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                Refill();
                return _tokens >= _perSecond ? _time.GetElapsedTime(_lastUsed) : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill();
            return new RateLimiterStatistics { CurrentAvailablePermits = (long)_tokens };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            Refill();
            _lastUsed = _refilledAt;
            // A count of 0 asks whether a permit is available without taking one.
            if (_tokens >= Math.Max(permitCount, 1))
            {
                _tokens -= permitCount;
                return Granted;
            }
            return new Lease(false, TimeSpan.FromSeconds((Math.Max(permitCount, 1) - _tokens) / _perSecond));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_refilledAt, now);
        if (elapsed > TimeSpan.Zero)
        {
            _tokens = Math.Min(_perSecond, _tokens + elapsed.TotalSeconds * _perSecond);
            _refilledAt = now;
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
