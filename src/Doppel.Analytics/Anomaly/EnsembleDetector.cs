using Doppel.Analytics.Anomaly.Internal;

namespace Doppel.Analytics.Anomaly;

/// <summary>
/// Doppel's strongest detector: three views of a series, each good at a different kind of anomaly, scored on one scale.
/// A distribution change (<see cref="EntropyDetector"/>: 0.5 to 1 by how far the reading is from the median), a pattern
/// unlike any seen (<see cref="NoveltyDetector"/>: 0.5 + half its record-breaking score), and a reading beyond the
/// range seen so far by more than 5% of it (0.5 to 1 by how far). Once an anomaly is reported, the next
/// <see cref="Quiet"/> readings report only a stronger one: an event is reported once, not at every reading it lasts.
/// </summary>
public sealed class EnsembleDetector : IAnomalyDetector
{
    /// <summary>Readings after a reported anomaly during which only a stronger one is reported.</summary>
    public const int Quiet = 100;

    /// <summary>Readings before a new extreme counts.</summary>
    public const int WarmUp = 150;

    /// <summary>How far beyond the range seen (as a share of it) a reading must be to count as a new extreme.</summary>
    public const double Tolerance = 0.05;

    private readonly EntropyDetector _entropy = new(unsuppressed: true);
    private readonly NoveltyDetector _novelty = new();
    private long _count;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;
    private long _lastReported = long.MinValue / 2;
    private double _lastScore;

    public string Name => "ensemble";

    public AnomalyScore Next(DateTimeOffset time, double value)
    {
        _count++;
        var best = _entropy.Next(time, value);
        var novelty = _novelty.Next(time, value);
        if (novelty.Score > 0 && 0.5 + 0.5 * novelty.Score > best.Score)
        {
            best = novelty with { Score = 0.5 + 0.5 * novelty.Score };
        }
        var range = _max - _min;
        var excess = Math.Max(value - _max, _min - value);
        if (_count > WarmUp && range > 0 && excess > Tolerance * range)
        {
            var score = 0.5 + 0.5 * (1 - Math.Exp(-excess / range / 0.2));
            if (score > best.Score)
            {
                best = new AnomalyScore(score, $"{Scores.Format(value)} is {Scores.Format(100 * excess / range)}% of the range beyond the range seen so far [{Scores.Format(_min)}, {Scores.Format(_max)}]");
            }
        }
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
        if (best.Score <= 0 || (_count - _lastReported <= Quiet && best.Score <= _lastScore))
        {
            return default;
        }
        _lastReported = _count;
        _lastScore = best.Score;
        return best;
    }
}
