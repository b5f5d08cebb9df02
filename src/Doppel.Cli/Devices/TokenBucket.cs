using System.Diagnostics;

namespace Doppel.Cli.Devices;

/// <summary>
/// Paces senders to a total rate shared by all of them: tokens accrue continuously up to a small burst, and a sender
/// that finds none sleeps until enough have accrued for a batch, not once per message.
/// </summary>
internal sealed class TokenBucket
{
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(1);

    private readonly Lock _gate = new();
    private readonly double _ratePerSecond;
    private readonly double _burst;
    private double _tokens;
    private long _last = Stopwatch.GetTimestamp();

    public TokenBucket(double ratePerSecond, double? burst = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ratePerSecond, 0);
        _ratePerSecond = ratePerSecond;
        // 50 ms worth by default: smooth at a glance, yet large enough that a 1 ms timer tick does not cap the rate.
        _burst = Math.Max(1, burst ?? ratePerSecond / 20);
        _tokens = Math.Min(1, _burst);
    }

    /// <summary>Takes between 1 and <paramref name="max"/> tokens, waiting until at least one is there.</summary>
    public async ValueTask<int> TakeAsync(int max, CancellationToken ct)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = Stopwatch.GetTimestamp();
                _tokens = Math.Min(_burst, _tokens + (Stopwatch.GetElapsedTime(_last, now).TotalSeconds * _ratePerSecond));
                _last = now;
                if (_tokens >= 1)
                {
                    var taken = (int)Math.Min(max, Math.Floor(_tokens));
                    _tokens -= taken;
                    return taken;
                }
                wait = TimeSpan.FromSeconds((1 - _tokens) / _ratePerSecond);
            }
            await Task.Delay(wait < MinimumWait ? MinimumWait : wait, ct);
        }
    }
}
