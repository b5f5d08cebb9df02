using Doppel.Analytics.Anomaly.Internal;

namespace Doppel.Analytics.Anomaly;

/// <summary>
/// Robust baseline: how many median absolute deviations (scaled to a normal sigma) a reading lies from the median of
/// the last <see cref="Window"/> readings. Outliers barely move the median or the MAD, so one spike does not mask the next.
/// </summary>
public sealed class MedianMadDetector : IAnomalyDetector
{
    /// <summary>Readings the median and MAD are taken over.</summary>
    public const int Window = 256;

    /// <summary>Readings before the first score (the window must hold enough to be robust).</summary>
    public const int WarmUp = 32;

    /// <summary>Every how many readings the median and MAD are recomputed.</summary>
    public const int Refresh = 8;

    private readonly SlidingMedian _window = new(Window);
    private long _sinceRefresh;
    private double _median;
    private double _sigma;

    public string Name => "mad";

    /// <summary>The signed deviation of the last reading in robust sigmas (0 during warm-up).</summary>
    internal double LastDeviations { get; private set; }

    public AnomalyScore Next(DateTimeOffset time, double value)
    {
        var score = new AnomalyScore(0, null);
        if (_window.Count >= WarmUp)
        {
            // Refreshed every few readings: a window of 256 barely moves in 8, and the MAD costs a walk over half of it.
            if (_sinceRefresh++ % Refresh == 0)
            {
                _median = _window.Median;
                // 1.4826 MAD estimates sigma for normal data; a floor keeps constant series from dividing by zero.
                _sigma = Math.Max(1.4826 * _window.Mad(), Floor(_median, _window));
            }
            var (median, sigma) = (_median, _sigma);
            var z = (value - median) / sigma;
            LastDeviations = z;
            var s = Scores.FromDeviations(z);
            score = new AnomalyScore(s, s >= Scores.Explained ? $"{Scores.Format(Math.Abs(z))} MADs {(z > 0 ? "above" : "below")} the median {Scores.Format(median)}" : null);
        }
        _window.Add(value);
        return score;
    }

    /// <summary>The smallest sigma a series is credited with: a small share of its level and of its range.</summary>
    internal static double Floor(double level, SlidingMedian window) =>
        Math.Max(1e-9, Math.Max(1e-3 * Math.Abs(level), 0.01 * (window.Max - window.Min)));
}
