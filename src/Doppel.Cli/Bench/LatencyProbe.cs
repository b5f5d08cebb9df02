using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using Doppel.Cli.Bench.Internal;

namespace Doppel.Cli.Bench;

/// <summary>
/// The subscriber's side of a load run: each message id starts with the <see cref="Stopwatch"/> timestamp of its
/// publish, so arrival minus that is publish-to-visible latency, without a table of sent messages.
/// </summary>
internal sealed class LatencyProbe
{
    private static readonly byte[] IdMember = "\"$messageId\":\""u8.ToArray();

    private readonly Lock _gate = new();
    private readonly LatencyHistogram _histogram = new();
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _measureFrom = long.MaxValue;
    private long _stopAt = long.MaxValue;
    private long _received;
    private long _target = long.MaxValue;

    /// <summary>Messages seen.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Only messages published in [from, to) (Stopwatch timestamps) are measured.</summary>
    public void Window(long from, long to) => (_measureFrom, _stopAt) = (from, to);

    /// <summary>A message id of the form <c>{timestamp}-...</c> arrived.</summary>
    public void Record(ReadOnlySpan<char> messageId)
    {
        var now = Stopwatch.GetTimestamp();
        var dash = messageId.IndexOf('-');
        if (dash > 0 && long.TryParse(messageId[..dash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sent))
        {
            Measure(sent, now);
        }
        Count();
    }

    /// <summary>A JSON payload carrying <c>"$messageId":"{timestamp}-..."</c> arrived (the pass-through peer's subscriber).</summary>
    public void RecordPayload(ReadOnlySequence<byte> payload)
    {
        var now = Stopwatch.GetTimestamp();
        ReadOnlySpan<byte> bytes = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
        var at = bytes.IndexOf(IdMember);
        if (at >= 0 && Utf8Parser.TryParse(bytes[(at + IdMember.Length)..], out long sent, out _))
        {
            Measure(sent, now);
        }
        Count();
    }

    /// <summary>Something caused by a message published at <paramref name="sent"/> (a Stopwatch timestamp) arrived now.</summary>
    public void RecordSent(long sent)
    {
        Measure(sent, Stopwatch.GetTimestamp());
        Count();
    }

    /// <summary>The publish timestamp a message id of the form <c>{timestamp}-...</c> starts with, or null.</summary>
    public static long? SentAt(ReadOnlySpan<char> messageId)
    {
        var dash = messageId.IndexOf('-');
        return dash > 0 && long.TryParse(messageId[..dash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sent) ? sent : null;
    }

    /// <summary>Completes once <paramref name="count"/> messages have arrived (or at once if they already have).</summary>
    public Task WaitForAsync(long count)
    {
        Interlocked.Exchange(ref _target, count);
        if (Received >= count)
        {
            _reached.TrySetResult();
        }
        return _reached.Task;
    }

    /// <summary>The latencies measured so far.</summary>
    public (TimeSpan P50, TimeSpan P99, long Samples) Latencies()
    {
        lock (_gate)
        {
            return (TimeSpan.FromMicroseconds(_histogram.ValueAtQuantile(0.5)), TimeSpan.FromMicroseconds(_histogram.ValueAtQuantile(0.99)), _histogram.Count);
        }
    }

    private void Measure(long sent, long now)
    {
        if (sent < _measureFrom || sent >= _stopAt)
        {
            return;
        }
        var microseconds = (long)Stopwatch.GetElapsedTime(sent, now).TotalMicroseconds;
        lock (_gate)
        {
            _histogram.Record(microseconds);
        }
    }

    private void Count()
    {
        if (Interlocked.Increment(ref _received) >= Interlocked.Read(ref _target))
        {
            _reached.TrySetResult();
        }
    }
}
