using Doppel.Analytics.Anomaly.Internal;

namespace Doppel.Analytics.Anomaly;

/// <summary>
/// Relative-entropy hypothesis testing (Wang et al. 2011, the method of NAB's relativeEntropy detector), made online.
/// The last <see cref="Window"/> readings are quantised into <see cref="Levels"/> levels of the range seen so far, and
/// their histogram is tested against the histograms seen before (relative entropy against the chi-squared bound at
/// 99%). A window that matches no earlier one is anomalous, and becomes a hypothesis itself. Its score is 0.5 plus half
/// the reading's robust deviation (so a sweep of thresholds can tell a shift from a blip), and once one is reported,
/// the next <see cref="Quiet"/> readings are not.
/// </summary>
public sealed class EntropyDetector : IAnomalyDetector
{
    /// <summary>Readings in a window.</summary>
    public const int Window = 52;

    /// <summary>Quantisation levels across the range seen so far.</summary>
    public const int Levels = 5;

    /// <summary>Readings before the first test.</summary>
    public const int WarmUp = 150;

    /// <summary>Readings after a reported anomaly during which no other is reported (when reporting alone).</summary>
    public const int Quiet = 100;

    // chi2.isf(0.01, Levels - 1): the 99th percentile of chi-squared with 4 degrees of freedom.
    private const double Bound = 13.276704135987622;

    private readonly double[] _window = new double[Window];
    private readonly List<Dictionary<long, double>> _hypotheses = [];
    private readonly MedianMadDetector _deviation = new();
    private readonly bool _unsuppressed;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;
    private long _count;
    private long _lastReported = long.MinValue / 2;

    public EntropyDetector()
    {
    }

    /// <summary>For an ensemble that suppresses repeats itself.</summary>
    internal EntropyDetector(bool unsuppressed) => _unsuppressed = unsuppressed;

    public string Name => "entropy";

    public AnomalyScore Next(DateTimeOffset time, double value)
    {
        _deviation.Next(time, value);
        _count++;
        _window[(int)((_count - 1) % Window)] = value;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
        if (_count < WarmUp)
        {
            return default;
        }
        var why = Test();
        if (why is null)
        {
            return default;
        }
        if (!_unsuppressed)
        {
            if (_count - _lastReported <= Quiet)
            {
                return default;
            }
            _lastReported = _count;
        }
        var z = Math.Abs(_deviation.LastDeviations);
        var score = 0.5 + 0.5 * (1 - Math.Exp(-z / 3));
        return new AnomalyScore(score, $"{why} (now {Scores.Format(value)}, {Scores.Format(z)} MADs from the median)");
    }

    /// <summary>Why the current window is anomalous, or null when it matches a hypothesis.</summary>
    private string? Test()
    {
        var histogram = new Dictionary<long, double>();
        var step = _max > _min ? (_max - _min) / Levels : 1;
        foreach (var v in _window)
        {
            var level = (long)Math.Ceiling((v - _min) / step);
            histogram[level] = histogram.GetValueOrDefault(level) + 1.0 / Window;
        }
        var best = -1;
        for (var i = 0; i < _hypotheses.Count && best < 0; i++)
        {
            if (2 * Window * RelativeEntropy(histogram, _hypotheses[i]) < Bound)
            {
                best = i;
            }
        }
        if (best >= 0)
        {
            return null;
        }
        _hypotheses.Add(histogram);
        return _hypotheses.Count == 1 ? null : $"the distribution of the last {Window} readings matches none seen before";
    }

    private static double RelativeEntropy(Dictionary<long, double> p, Dictionary<long, double> q)
    {
        var sum = 0.0;
        foreach (var (level, pk) in p)
        {
            if (!q.TryGetValue(level, out var qk))
            {
                return double.PositiveInfinity;
            }
            sum += pk * Math.Log(pk / qk);
        }
        return sum;
    }
}
