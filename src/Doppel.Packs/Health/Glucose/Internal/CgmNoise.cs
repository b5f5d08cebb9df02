namespace Doppel.Packs.Health.Glucose.Internal;

/// <summary>
/// simglucose's <c>CGMNoise</c>: an AR(1) series every 15 minutes (e_0 = randn, e_k = PACF·(e_{k-1} + randn)) mapped
/// through the Johnson SU transform ξ + λ·sinh((e − γ)/δ), then cubic-interpolated over blocks of 10 intervals to the
/// sensor's sample time; each block starts from the last value of the one before.
/// </summary>
internal sealed class CgmNoise
{
    private const int Precompute = 10;
    private const double ModelSampleTime = 15;
    private readonly SensorParameters _sensor;
    private readonly NumpyRandomState _random;
    private readonly double[,] _weights;
    private readonly double[] _block = new double[Precompute + 1];
    private readonly double[] _sequence;
    private int _next;
    private int _count;
    private double _e;
    private double _start;

    public CgmNoise(SensorParameters sensor, uint seed)
    {
        _sensor = sensor;
        _random = new NumpyRandomState(seed);
        var samples = (int)Math.Floor(Precompute * ModelSampleTime / sensor.SampleTime) + 1;
        var at = new double[samples];
        for (var j = 0; j < samples; j++)
        {
            at[j] = j * sensor.SampleTime;
        }
        _weights = NotAKnotSpline.Weights(Precompute + 1, ModelSampleTime, at);
        _sequence = new double[samples - 1];
        _next = _sequence.Length;
        _start = Next15();
    }

    /// <summary>The next noise value (mg/dL), one per sensor sample.</summary>
    public double Next()
    {
        if (_next == _sequence.Length)
        {
            Refill();
        }
        return _sequence[_next++];
    }

    private void Refill()
    {
        _block[0] = _start;
        for (var i = 1; i <= Precompute; i++)
        {
            _block[i] = Next15();
        }
        _start = _block[Precompute];
        for (var j = 0; j < _sequence.Length; j++)
        {
            var sum = 0.0;
            for (var i = 0; i <= Precompute; i++)
            {
                sum += _weights[j + 1, i] * _block[i];
            }
            _sequence[j] = sum;
        }
        _next = 0;
    }

    private double Next15()
    {
        _e = _count == 0 ? _random.Gauss() : _sensor.Pacf * (_e + _random.Gauss());
        _count++;
        return _sensor.Xi + _sensor.Lambda * Math.Sinh((_e - _sensor.Gamma) / _sensor.Delta);
    }
}
