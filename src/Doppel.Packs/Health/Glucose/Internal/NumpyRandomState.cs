namespace Doppel.Packs.Health.Glucose.Internal;

/// <summary>
/// numpy's legacy <c>RandomState(seed)</c> for an integer seed: MT19937 seeded by <c>init_genrand</c>, 53-bit doubles from
/// two 32-bit draws, and the legacy Gaussian (Marsaglia's polar method, keeping the second value for the next call), so
/// that a seed gives simglucose's meals and CGM noise.
/// </summary>
internal sealed class NumpyRandomState
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _mt = new uint[N];
    private int _index;
    private bool _hasGauss;
    private double _gauss;

    public NumpyRandomState(uint seed)
    {
        _mt[0] = seed;
        for (var i = 1; i < N; i++)
        {
            _mt[i] = 1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30)) + (uint)i;
        }
        _index = N;
    }

    public uint NextUInt32()
    {
        if (_index >= N)
        {
            Generate();
        }
        var y = _mt[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary><c>random_sample()</c>: a double in [0, 1) with 53 random bits.</summary>
    public double NextDouble()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary><c>uniform(low, high)</c>.</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary><c>randn()</c>: numpy's legacy Gaussian.</summary>
    public double Gauss()
    {
        if (_hasGauss)
        {
            _hasGauss = false;
            var kept = _gauss;
            _gauss = 0;
            return kept;
        }
        double x1, x2, r2;
        do
        {
            x1 = 2.0 * NextDouble() - 1.0;
            x2 = 2.0 * NextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        }
        while (r2 >= 1.0 || r2 == 0.0);
        var f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _gauss = f * x1;
        _hasGauss = true;
        return f * x2;
    }

    /// <summary><c>normal(loc, scale)</c>.</summary>
    public double Normal(double loc, double scale) => loc + scale * Gauss();

    private void Generate()
    {
        for (var i = 0; i < N; i++)
        {
            var y = (_mt[i] & 0x80000000u) | (_mt[(i + 1) % N] & 0x7fffffffu);
            var next = _mt[(i + M) % N] ^ (y >> 1);
            _mt[i] = (y & 1) != 0 ? next ^ 0x9908b0dfu : next;
        }
        _index = 0;
    }
}
