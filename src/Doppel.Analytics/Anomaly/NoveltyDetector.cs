using Doppel.Analytics.Anomaly.Internal;

namespace Doppel.Analytics.Anomaly;

/// <summary>
/// A record-novelty detector. Each reading closes a window of the last <see cref="Window"/> readings; its novelty is
/// the distance to the nearest window in a memory of past windows (those overlapping it left out), in units of the
/// range seen so far. A reading is anomalous when its novelty breaks the record (the largest novelty seen, fading
/// slowly so that old events stop masking new ones); the score says by how much (1 - record / novelty). The broken
/// record becomes the new one, so an event is reported once, and the same kind of event must be bigger to be reported
/// again.
/// </summary>
public sealed class NoveltyDetector : IAnomalyDetector
{
    /// <summary>Readings in a window.</summary>
    public const int Window = 16;

    /// <summary>Readings before the first score; the record is set over its second half.</summary>
    public const int WarmUp = 150;

    /// <summary>Windows remembered (every <see cref="Stride"/>-th one; the oldest forgotten first).</summary>
    public const int Memory = 2000;

    /// <summary>Every how many readings a window is remembered.</summary>
    public const int Stride = 2;

    /// <summary>How the record fades per reading (a half-life of about 700 readings).</summary>
    public const double Fading = 0.999;

    private readonly double[] _recent = new double[Window];
    private readonly double[][] _memory = new double[Memory][];
    private int _stored;
    private int _nextSlot;
    private long _count;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;
    private double _record;

    public string Name => "novelty";

    public AnomalyScore Next(DateTimeOffset time, double value)
    {
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
        Array.Copy(_recent, 1, _recent, 0, Window - 1);
        _recent[^1] = value;
        _count++;
        if (_count < Window)
        {
            return default;
        }
        var nearest = Nearest(_recent);
        if (_count % Stride == 0)
        {
            var kept = _memory[_nextSlot] ??= new double[Window];
            Array.Copy(_recent, kept, Window);
            _nextSlot = (_nextSlot + 1) % Memory;
            _stored = Math.Min(_stored + 1, Memory);
        }
        var range = _max - _min;
        if (double.IsPositiveInfinity(nearest) || range <= 0)
        {
            return default;
        }
        var novelty = Math.Sqrt(nearest) / range;
        if (_count <= WarmUp)
        {
            // The first windows have no past to compare with: only the second half of the warm-up sets the record.
            if (_count > WarmUp / 2)
            {
                _record = Math.Max(_record, novelty);
            }
            return default;
        }
        _record *= Fading;
        if (novelty <= _record)
        {
            return default;
        }
        var score = 1 - _record / novelty;
        var previous = _record;
        _record = novelty;
        return new AnomalyScore(score, score >= Scores.Explained
            ? $"the last {Window} readings (now {Scores.Format(value)}) are unlike any seen before: {Scores.Format(novelty / Math.Max(previous, 1e-12))} times the largest novelty so far"
            : null);
    }

    /// <summary>The squared distance to the nearest remembered window that does not overlap the current one.</summary>
    private double Nearest(double[] window)
    {
        var nearest = double.PositiveInfinity;
        var overlapping = (Window + Stride - 1) / Stride;
        for (var k = overlapping; k < _stored; k++)
        {
            var stored = _memory[(_nextSlot - 1 - k + 2 * Memory) % Memory];
            var d = 0.0;
            for (var i = 0; i < Window && d < nearest; i++)
            {
                var diff = window[i] - stored[i];
                d += diff * diff;
            }
            nearest = Math.Min(nearest, d);
        }
        return nearest;
    }
}
