using Doppel.Analytics.Anomaly.Internal;

namespace Doppel.Analytics.Anomaly;

/// <summary>
/// Exponentially weighted baseline: how many standard deviations a reading lies from the exponentially weighted mean.
/// Readings update the mean and variance clipped at 3 sigma (Huber), so an outlier does not inflate the spread.
/// Constant memory and a handful of operations per reading.
/// </summary>
public sealed class EwmaDetector : IAnomalyDetector
{
    /// <summary>Weight of the newest reading (a memory of about 1/alpha readings).</summary>
    public const double Alpha = 0.02;

    /// <summary>Readings before the first score.</summary>
    public const int WarmUp = 32;

    private double _mean;
    private double _variance;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;
    private long _count;

    public string Name => "ewma";

    public AnomalyScore Next(DateTimeOffset time, double value)
    {
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
        if (_count++ == 0)
        {
            _mean = value;
            return default;
        }
        var floor = Math.Max(1e-9, Math.Max(1e-3 * Math.Abs(_mean), 0.01 * (_max - _min)));
        var sigma = Math.Max(Math.Sqrt(_variance), floor);
        var deviation = value - _mean;
        var z = deviation / sigma;
        // Early on the mean and spread learn fast (a running average), then forget at Alpha.
        var alpha = Math.Max(Alpha, 1.0 / _count);
        var clipped = _count <= WarmUp ? deviation : Math.Clamp(deviation, -3 * sigma, 3 * sigma);
        _mean += alpha * clipped;
        _variance = (1 - alpha) * (_variance + alpha * clipped * clipped);
        if (_count <= WarmUp)
        {
            return default;
        }
        var s = Scores.FromDeviations(z);
        return new AnomalyScore(s, s >= Scores.Explained ? $"{Scores.Format(Math.Abs(z))} standard deviations {(z > 0 ? "above" : "below")} the moving average {Scores.Format(_mean - alpha * clipped)}" : null);
    }
}
