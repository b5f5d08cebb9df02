namespace Doppel.Simulation.Experiments.Internal;

/// <summary>Welford's accumulator: count, mean, sum of squared deviations, min and max in one stable pass.</summary>
internal struct RunningStatistics
{
    private double _m2;

    public RunningStatistics()
    {
        Min = double.PositiveInfinity;
        Max = double.NegativeInfinity;
    }

    public int Count { get; private set; }

    public double Mean { get; private set; }

    public double Min { get; private set; }

    public double Max { get; private set; }

    /// <summary>The sample (n − 1) variance; NaN below two values.</summary>
    public readonly double Variance => Count > 1 ? _m2 / (Count - 1) : double.NaN;

    public void Add(double value)
    {
        Count++;
        var delta = value - Mean;
        Mean += delta / Count;
        _m2 += delta * (value - Mean);
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
    }
}
