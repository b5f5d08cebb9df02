namespace Doppel.Analytics.Anomaly.Internal;

/// <summary>
/// Numenta's anomaly likelihood (Ahmad et al. 2017), in constant memory: how improbable the recent average of a raw
/// anomaly score is under the distribution of that average over a long past. A detector whose raw score is often high
/// on a noisy series is thereby quiet there, and loud where its raw score departs from its own habit. Reported on a
/// log scale so that 0.5 ≈ likelihood 0.99999.
/// </summary>
internal sealed class AnomalyLikelihood(int shortWindow = 10, int longWindow = 2000, int learning = 300, double floor = 0.03)
{
    private readonly double[] _recent = new double[shortWindow];
    private readonly double[] _averages = new double[longWindow];
    private double _recentSum;
    private double _sum;
    private double _sumSquares;
    private long _count;

    /// <summary>The likelihood that the latest raw scores are unusual, in [0, 1].</summary>
    public double Likelihood { get; private set; }

    public double Next(double raw)
    {
        var r = (int)(_count % _recent.Length);
        _recentSum += raw - _recent[r];
        _recent[r] = raw;
        var average = _recentSum / Math.Min(_count + 1, _recent.Length);
        var n = Math.Min(_count, _averages.Length);
        double likelihood = 0;
        if (_count >= learning)
        {
            var mean = _sum / n;
            var variance = Math.Max(0, _sumSquares / n - mean * mean);
            // A floor on the spread, as Numenta's, so that a detector silent for long does not turn every blip into certainty.
            var sigma = Math.Max(Math.Sqrt(variance), floor);
            likelihood = average > mean ? 1 - Scores.NormalTail((average - mean) / sigma) : 0.5 * (1 - Scores.NormalTail((mean - average) / sigma));
        }
        var a = (int)(_count % _averages.Length);
        if (_count >= _averages.Length)
        {
            var old = _averages[a];
            _sum -= old;
            _sumSquares -= old * old;
        }
        _averages[a] = average;
        _sum += average;
        _sumSquares += average * average;
        _count++;
        Likelihood = likelihood;
        return LogScale(likelihood);
    }

    /// <summary>Numenta's log scale: log(1 - L) / log(1e-10), so 0.5 is L = 0.99999 and 1 is L = 1 - 1e-10.</summary>
    public static double LogScale(double likelihood) => Math.Clamp(Math.Log(1.0000000001 - likelihood) / -23.02585084720009, 0, 1);
}
