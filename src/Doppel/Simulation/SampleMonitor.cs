namespace Doppel.Simulation;

/// <summary>Statistics of observations (waiting times, lead times): count, mean and variance (Welford), min, max.</summary>
public sealed class SampleMonitor
{
    private double _mean;
    private double _m2;

    public long Count { get; private set; }

    public double Mean => Count > 0 ? _mean : double.NaN;

    /// <summary>The sample variance (n − 1).</summary>
    public double Variance => Count > 1 ? _m2 / (Count - 1) : double.NaN;

    public double StdDev => Math.Sqrt(Variance);

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    public double Sum => _mean * Count;

    public void Add(double value)
    {
        Count++;
        var delta = value - _mean;
        _mean += delta / Count;
        _m2 += delta * (value - _mean);
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
    }

    /// <summary>Forgets everything (the end of a warm-up period).</summary>
    public void Reset()
    {
        (Count, _mean, _m2, Min, Max) = (0, 0, 0, double.PositiveInfinity, double.NegativeInfinity);
    }
}
