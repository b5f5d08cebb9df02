using System.Runtime.CompilerServices;

namespace Doppel.Simulation;

/// <summary>
/// The simulation's own random numbers: xoshiro256** (Blackman and Vigna, 2018) seeded through SplitMix64, with the
/// distributions models need. Owned by one <see cref="Simulation"/>, so the same seed gives the same run, bit for bit.
/// </summary>
public sealed class SimRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    public SimRandom(ulong seed)
    {
        _s0 = SplitMix64(ref seed);
        _s1 = SplitMix64(ref seed);
        _s2 = SplitMix64(ref seed);
        _s3 = SplitMix64(ref seed);
    }

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        var result = BitRotate(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitRotate(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1), 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform on [min, max).</summary>
    public double Uniform(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>An integer uniform on [0, n).</summary>
    public int Next(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return (int)((NextUInt64() >> 33) * (ulong)n >> 31);
    }

    /// <summary>Exponential with the given mean (not rate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Exponential(double mean) => -mean * Math.Log(1.0 - NextDouble());

    /// <summary>Normal, by the polar (Marsaglia) method, which keeps its second value.</summary>
    public double Normal(double mean, double stddev)
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return mean + (stddev * _spareNormal);
        }
        double u, v, s;
        do
        {
            u = (2 * NextDouble()) - 1;
            v = (2 * NextDouble()) - 1;
            s = (u * u) + (v * v);
        }
        while (s >= 1 || s == 0);
        var factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareNormal = v * factor;
        _hasSpare = true;
        return mean + (stddev * u * factor);
    }

    /// <summary>Normal truncated at zero (redrawn while negative): durations that must not be negative.</summary>
    public double PositiveNormal(double mean, double stddev)
    {
        double x;
        do
        {
            x = Normal(mean, stddev);
        }
        while (x < 0);
        return x;
    }

    /// <summary>Log-normal whose logarithm has mean <paramref name="mu"/> and deviation <paramref name="sigma"/>.</summary>
    public double LogNormal(double mu, double sigma) => Math.Exp(Normal(mu, sigma));

    /// <summary>Triangular on [min, max] with the given mode.</summary>
    public double Triangular(double min, double mode, double max)
    {
        var u = NextDouble();
        var split = (mode - min) / (max - min);
        return u < split
            ? min + Math.Sqrt(u * (max - min) * (mode - min))
            : max - Math.Sqrt((1 - u) * (max - min) * (max - mode));
    }

    /// <summary>Gamma with the given shape and scale (Marsaglia and Tsang, 2000).</summary>
    public double Gamma(double shape, double scale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(shape, 0);
        if (shape < 1)
        {
            // Boost: Gamma(a) = Gamma(a + 1) · U^(1/a).
            return Gamma(shape + 1, scale) * Math.Pow(NextDouble(), 1 / shape);
        }
        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(0, 1);
                v = 1 + (c * x);
            }
            while (v <= 0);
            v = v * v * v;
            var u = NextDouble();
            if (u < 1 - (0.0331 * x * x * x * x) || Math.Log(u) < (0.5 * x * x) + (d * (1 - v + Math.Log(v))))
            {
                return d * v * scale;
            }
        }
    }

    /// <summary>Erlang-k with the given mean (the sum of k exponentials of mean/k).</summary>
    public double Erlang(int k, double mean) => Gamma(k, mean / k);

    /// <summary>Weibull with the given shape and scale.</summary>
    public double Weibull(double shape, double scale) => scale * Math.Pow(-Math.Log(1 - NextDouble()), 1 / shape);

    /// <summary>SplitMix64 (Steele, Lea and Flood, 2014): spreads a seed over the state, and derives seeds from seeds.</summary>
    public static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong BitRotate(ulong x, int k) => (x << k) | (x >> (64 - k));
}
