using Doppel.Simulation.Experiments;

namespace Doppel.Tests.Simulation.Experiments;

/// <summary>xoshiro256** seeded from a 64-bit seed through SplitMix64, as a model's generator would be.</summary>
internal sealed class TestRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public TestRandom(ulong seed)
    {
        var x = seed;
        _s0 = Next(ref x);
        _s1 = Next(ref x);
        _s2 = Next(ref x);
        _s3 = Next(ref x);

        static ulong Next(ref ulong state) => SeedSequence.Mix(state += 0x9E3779B97F4A7C15);
    }

    public ulong NextULong()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>The mean of <paramref name="count"/> uniform draws.</summary>
    public double MeanOfUniforms(int count)
    {
        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            sum += NextDouble();
        }
        return sum / count;
    }
}
