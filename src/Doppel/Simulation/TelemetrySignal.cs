namespace Doppel.Simulation;

/// <summary>
/// One simulated sensor: an Ornstein–Uhlenbeck walk (mean-reverting noise) around a baseline, plus a slow sine and
/// occasional one-sample spikes. It owns its seeded generator, so the same seed and steps give the same values.
/// </summary>
public sealed class TelemetrySignal
{
    private readonly SignalShape _shape;
    private readonly Random _random;
    private double _deviation;
    private double _seconds;

    /// <summary>Starts the signal at a random point of its stationary distribution, at time 0.</summary>
    public TelemetrySignal(SignalShape shape, int seed)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(shape.ReversionSeconds, 0);
        _shape = shape;
        _random = new Random(seed);
        _deviation = shape.Volatility * Gaussian();
    }

    /// <summary>Seconds of simulated time since the start.</summary>
    public double Seconds => _seconds;

    /// <summary>Advances simulated time by <paramref name="step"/> and returns the value then.</summary>
    public double Next(TimeSpan step)
    {
        var dt = Math.Max(step.TotalSeconds, 0);
        _seconds += dt;
        // The exact OU transition over dt, so the walk's spread does not depend on the sampling rate.
        var decay = Math.Exp(-dt / _shape.ReversionSeconds);
        _deviation = (_deviation * decay) + (_shape.Volatility * Math.Sqrt(1 - (decay * decay)) * Gaussian());
        var daily = _shape.DailyAmplitude * Math.Sin(2 * Math.PI * _seconds / _shape.DailyPeriod.TotalSeconds);
        var spike = _random.NextDouble() < _shape.SpikeProbability
            ? (_random.NextDouble() < 0.5 ? -1 : 1) * _shape.SpikeSize * _shape.Volatility
            : 0;
        return _shape.Baseline + daily + _deviation + spike;
    }

    /// <summary>A stable seed for one signal of one twin (string hash codes differ per process, so FNV-1a).</summary>
    public static int Seed(int seed, string twinId, string name)
    {
        ArgumentNullException.ThrowIfNull(twinId);
        ArgumentNullException.ThrowIfNull(name);
        var hash = 2166136261u ^ (uint)seed;
        foreach (var c in twinId)
        {
            hash = (hash ^ c) * 16777619u;
        }
        hash = (hash ^ '/') * 16777619u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)hash;
    }

    /// <summary>A standard normal sample (Box–Muller).</summary>
    private double Gaussian()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
