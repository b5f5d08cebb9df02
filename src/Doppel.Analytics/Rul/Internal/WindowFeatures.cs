namespace Doppel.Analytics.Rul.Internal;

/// <summary>
/// The gradient-boosted trees' inputs, computed from a prepared window: per sensor the recent level (mean of the last
/// 5 rows), the window's mean and standard deviation, and the least-squares slope over the window and over its last
/// 10 rows; then the cycle (the unit's age).
/// </summary>
internal static class WindowFeatures
{
    private const int Recent = 5;
    private const int ShortSlope = 10;
    private const int PerSensor = 5;

    public static string[] Names(IEnumerable<string> sensors, int window) =>
    [
        .. sensors.SelectMany(s => new[] { $"{s}.last{Recent}", $"{s}.mean{window}", $"{s}.sd{window}", $"{s}.slope{window}", $"{s}.slope{ShortSlope}" }),
        "cycle",
    ];

    public static int Count(int sensors) => sensors * PerSensor + 1;

    public static void Compute(ReadOnlySpan<float> window, ReadOnlySpan<float> cycles, int sensors, Span<float> features)
    {
        var length = cycles.Length;
        var recent = Math.Min(Recent, length);
        var shortLength = Math.Min(ShortSlope, length);
        for (var s = 0; s < sensors; s++)
        {
            double sum = 0, squares = 0, last = 0;
            for (var t = 0; t < length; t++)
            {
                double v = window[t * sensors + s];
                sum += v;
                squares += v * v;
                if (t >= length - recent)
                {
                    last += v;
                }
            }
            var mean = sum / length;
            var f = features.Slice(s * PerSensor, PerSensor);
            f[0] = (float)(last / recent);
            f[1] = (float)mean;
            f[2] = (float)Math.Sqrt(Math.Max(0, squares / length - mean * mean));
            f[3] = (float)Slope(window, sensors, s, 0, length);
            f[4] = (float)Slope(window, sensors, s, length - shortLength, length);
        }
        features[sensors * PerSensor] = cycles[length - 1];
    }

    private static double Slope(ReadOnlySpan<float> window, int sensors, int sensor, int from, int to)
    {
        var n = to - from;
        if (n < 2)
        {
            return 0;
        }
        var meanT = (n - 1) / 2.0;
        double mean = 0;
        for (var t = from; t < to; t++)
        {
            mean += window[t * sensors + sensor];
        }
        mean /= n;
        double covariance = 0, variance = 0;
        for (var t = from; t < to; t++)
        {
            var dt = t - from - meanT;
            covariance += dt * (window[t * sensors + sensor] - mean);
            variance += dt * dt;
        }
        return covariance / variance;
    }
}
