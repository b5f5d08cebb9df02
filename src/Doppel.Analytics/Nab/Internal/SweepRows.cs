namespace Doppel.Analytics.Nab.Internal;

/// <summary>
/// The rows of one file as NAB's sweeper sees them: each row's weight if it alarmed, and the window it belongs to
/// (-1 outside windows). Probationary rows are dropped. Built once per file and profile, scored at any threshold.
/// </summary>
internal sealed class SweepRows
{
    private const int Outside = -1;

    private SweepRows(string file, double[] scores, double[] weights, int[] windows, int windowCount, double falseNegative)
    {
        File = file;
        Scores = scores;
        Weights = weights;
        Windows = windows;
        WindowCount = windowCount;
        FalseNegative = falseNegative;
    }

    public string File { get; }

    /// <summary>Anomaly scores of the scored rows.</summary>
    public double[] Scores { get; }

    /// <summary>What each scored row adds if it alarms (inside a window: only the best alarm of the window counts).</summary>
    public double[] Weights { get; }

    /// <summary>The window of each scored row (0-based within the file), or -1.</summary>
    public int[] Windows { get; }

    /// <summary>Windows with at least one scored row.</summary>
    public int WindowCount { get; }

    private double FalseNegative { get; }

    public static SweepRows Of(NabSeries series, IReadOnlyList<double> scores, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(profile);
        var timestamps = series.Timestamps;
        var n = timestamps.Count;
        if (scores.Count != n)
        {
            throw new ArgumentException($"{series.Name}: {scores.Count} scores for {n} rows.", nameof(scores));
        }
        var probation = series.ProbationaryRows;
        var limits = series.Windows.OrderBy(w => w.Start).ToList();
        var maxTruePositive = ScaledSigmoid(-1.0);
        var kept = n - Math.Min(probation, n);
        var rowScores = new double[kept];
        var weights = new double[kept];
        var windows = new int[kept];
        var windowNumbers = new Dictionary<int, int>();

        var nextLimit = 0;
        var current = Outside;
        NabWindow currentLimits = default;
        var currentRight = 0;
        var currentWidth = 0.0;
        int? previousRight = null;
        var previousWidth = 0.0;
        for (var i = 0; i < n; i++)
        {
            var time = timestamps[i];
            // As NAB: a window opens on the row equal to its start; its ends are the first rows of the file equal to them.
            if (nextLimit < limits.Count && time == limits[nextLimit].Start)
            {
                currentLimits = limits[nextLimit];
                current = nextLimit++;
                currentRight = IndexOf(timestamps, currentLimits.End);
                currentWidth = currentRight - IndexOf(timestamps, currentLimits.Start) + 1;
            }
            double weight;
            if (current != Outside)
            {
                var position = -(currentRight - i + 1) / currentWidth;
                weight = ScaledSigmoid(position) * profile.TruePositive / maxTruePositive;
            }
            else
            {
                var position = previousRight is { } right ? Math.Abs(right - i) / (previousWidth - 1) : 3.0;
                weight = ScaledSigmoid(position) * profile.FalsePositive;
            }
            if (i >= probation)
            {
                var k = i - probation;
                rowScores[k] = scores[i];
                weights[k] = weight;
                if (current == Outside)
                {
                    windows[k] = Outside;
                }
                else
                {
                    if (!windowNumbers.TryGetValue(current, out var number))
                    {
                        number = windowNumbers.Count;
                        windowNumbers[current] = number;
                    }
                    windows[k] = number;
                }
            }
            if (current != Outside && time == currentLimits.End)
            {
                previousRight = i;
                previousWidth = currentWidth;
                current = Outside;
            }
        }
        return new SweepRows(series.Name, rowScores, weights, windows, windowNumbers.Count, profile.FalseNegative);
    }

    /// <summary>The file's raw score and row counts when rows scoring at least <paramref name="threshold"/> alarm.</summary>
    public NabFileScore Score(double threshold)
    {
        var best = new double[WindowCount];
        Array.Fill(best, -FalseNegative);
        var falseAlarms = 0.0;
        int tp = 0, tn = 0, fp = 0, fn = 0;
        for (var k = 0; k < Scores.Length; k++)
        {
            var alarm = Scores[k] >= threshold;
            var window = Windows[k];
            if (window == Outside)
            {
                if (alarm)
                {
                    fp++;
                    falseAlarms += Weights[k];
                }
                else
                {
                    tn++;
                }
            }
            else if (alarm)
            {
                tp++;
                best[window] = Math.Max(best[window], Weights[k]);
            }
            else
            {
                fn++;
            }
        }
        var raw = falseAlarms;
        foreach (var w in best)
        {
            raw += w;
        }
        return new NabFileScore(File, threshold, raw, tp, tn, fp, fn);
    }

    /// <summary>
    /// NAB's optimiser over several files at once: sweeps every distinct score from the highest down, keeping the
    /// threshold with the best corpus raw score (the first, i.e. highest, on ties).
    /// </summary>
    public static double BestThreshold(IReadOnlyList<SweepRows> files, NabProfile profile)
    {
        var total = files.Sum(f => f.Scores.Length);
        var order = new (double Score, int File, int Row)[total];
        var at = 0;
        for (var f = 0; f < files.Count; f++)
        {
            for (var k = 0; k < files[f].Scores.Length; k++)
            {
                order[at++] = (files[f].Scores[k], f, k);
            }
        }
        Array.Sort(order, static (a, b) => b.Score.CompareTo(a.Score));
        var windowBase = new int[files.Count];
        var windowTotal = 0;
        for (var f = 0; f < files.Count; f++)
        {
            windowBase[f] = windowTotal;
            windowTotal += files[f].WindowCount;
        }
        var best = new double[windowTotal];
        Array.Fill(best, -profile.FalseNegative);
        var falseAlarms = 0.0;
        var windowSum = -profile.FalseNegative * windowTotal;
        var threshold = NabScorer.NoAlarms;
        var bestThreshold = threshold;
        var bestScore = double.NegativeInfinity;
        foreach (var (score, f, k) in order)
        {
            if (score != threshold)
            {
                Consider(threshold, falseAlarms + windowSum);
                threshold = score;
            }
            var window = files[f].Windows[k];
            var weight = files[f].Weights[k];
            if (window == Outside)
            {
                falseAlarms += weight;
            }
            else
            {
                var w = windowBase[f] + window;
                if (weight > best[w])
                {
                    windowSum += weight - best[w];
                    best[w] = weight;
                }
            }
        }
        Consider(threshold, falseAlarms + windowSum);
        return bestThreshold;

        void Consider(double candidate, double corpusScore)
        {
            if (corpusScore > bestScore)
            {
                bestScore = corpusScore;
                bestThreshold = candidate;
            }
        }
    }

    /// <summary>NAB's scaled sigmoid: 2 sig(-5y) - 1, and -1 from y = 3 on.</summary>
    public static double ScaledSigmoid(double position) =>
        position >= 3.0 ? -1.0 : 2 * (1 / (1 + Math.Exp(5 * position))) - 1.0;

    private static int IndexOf(IReadOnlyList<DateTime> timestamps, DateTime time)
    {
        for (var i = 0; i < timestamps.Count; i++)
        {
            if (timestamps[i] == time)
            {
                return i;
            }
        }
        throw new InvalidDataException($"No row has the window timestamp {time:yyyy-MM-dd HH:mm:ss.ffffff}.");
    }
}
