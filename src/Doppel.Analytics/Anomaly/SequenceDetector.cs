using Doppel.Analytics.Anomaly.Internal;

namespace Doppel.Analytics.Anomaly;

/// <summary>
/// An HTM-like online detector. Readings are quantised at a resolution fixed after a warm-up (a share of the range seen
/// then); a sequence memory counts which level follows each context of the previous levels, so the raw anomaly of a
/// reading is how little it was expected after its context (1 for a transition never seen). Numenta's anomaly
/// likelihood then turns the raw score into how unusual the recent raw scores are for this series. A robust deviation
/// score (median and MAD) catches what quantisation hides. Memory grows with the distinct contexts seen.
/// </summary>
public sealed class SequenceDetector : IAnomalyDetector
{
    /// <summary>Readings that fix the quantisation (a reading before it scores 0).</summary>
    public const int WarmUp = 150;

    /// <summary>Levels across the warm-up range.</summary>
    public static readonly int Levels = int.Parse(Environment.GetEnvironmentVariable("SEQ_LEVELS") ?? "24");

    private readonly List<double> _warm = new(WarmUp);
    private readonly Dictionary<long, Counts> _memory = [];
    private readonly AnomalyLikelihood _likelihood = new(int.Parse(Environment.GetEnvironmentVariable("SEQ_SHORT") ?? "10"), int.Parse(Environment.GetEnvironmentVariable("SEQ_LONG") ?? "2000"), 300, double.Parse(Environment.GetEnvironmentVariable("SEQ_FLOOR") ?? "0.03"));
    private readonly MedianMadDetector _deviation = new();
    private double _origin;
    private double _resolution;
    private long _previous2;
    private long _previous1;
    private long _count;

    public string Name => "sequence";

    public AnomalyScore Next(DateTimeOffset time, double value)
    {
        var deviation = _deviation.Next(time, value);
        _count++;
        if (_resolution == 0)
        {
            _warm.Add(value);
            if (_warm.Count < WarmUp)
            {
                return default;
            }
            var min = _warm.Min();
            var max = _warm.Max();
            _origin = min;
            _resolution = max > min ? (max - min) / Levels : Math.Max(Math.Abs(min) * 0.01, 1e-6);
            foreach (var v in _warm)
            {
                Learn(Level(v));
            }
            _warm.Clear();
            return default;
        }
        var level = Level(value);
        var markov = Surprise(level);
        var z = _deviation.LastDeviations;
        var dev = 1 - Math.Exp(-0.5 * z * z / 9);
        var mode = Environment.GetEnvironmentVariable("SEQ_RAW") ?? "markov";
        var raw = mode == "markov" ? markov : mode == "mad" ? dev : Math.Max(markov, dev);
        Learn(level);
        var score = _likelihood.Next(raw);
        if (Environment.GetEnvironmentVariable("SEQ_DEV") == "1" && deviation.Score > score)
        {
            return deviation;
        }
        return new AnomalyScore(score, score >= 0.5
            ? $"an unusual sequence: the recent readings (now {Scores.Format(value)}) were expected with likelihood {Scores.Format(1 - _likelihood.Likelihood)} from what this series did before"
            : null);
    }

    private long Level(double value) => (long)Math.Floor((value - _origin) / _resolution);

    private static long Context(long a, long b) => (a * 1_000_003) ^ b;

    /// <summary>1 - the share of times the context was followed by this level (neighbouring levels count half).</summary>
    private double Surprise(long level)
    {
        if (!_memory.TryGetValue(Context(_previous2, _previous1), out var counts) || counts.Total == 0)
        {
            return 1;
        }
        var expected = counts.Of(level) + 0.5 * (counts.Of(level - 1) + counts.Of(level + 1));
        return Math.Clamp(1 - expected / counts.Max, 0, 1);
    }

    private void Learn(long level)
    {
        var key = Context(_previous2, _previous1);
        if (!_memory.TryGetValue(key, out var counts))
        {
            counts = new Counts();
            _memory[key] = counts;
        }
        counts.Add(level);
        _previous2 = _previous1;
        _previous1 = level;
    }

    /// <summary>How often each level followed one context (a few levels usually: a short list beats a dictionary).</summary>
    private sealed class Counts
    {
        private readonly List<(long Level, int Count)> _levels = [];

        public int Total { get; private set; }

        public int Max { get; private set; }

        public int Of(long level)
        {
            foreach (var (l, c) in _levels)
            {
                if (l == level)
                {
                    return c;
                }
            }
            return 0;
        }

        public void Add(long level)
        {
            Total++;
            for (var i = 0; i < _levels.Count; i++)
            {
                if (_levels[i].Level == level)
                {
                    var c = _levels[i].Count + 1;
                    _levels[i] = (level, c);
                    Max = Math.Max(Max, c);
                    return;
                }
            }
            _levels.Add((level, 1));
            Max = Math.Max(Max, 1);
        }
    }
}
