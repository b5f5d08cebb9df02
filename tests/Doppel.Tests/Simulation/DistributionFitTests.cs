using Doppel.Simulation;
using MathNet.Numerics.Distributions;

namespace Doppel.Tests.Simulation;

/// <summary>
/// Goodness of fit of every distribution a scenario file can name, sampled through <see cref="Distribution.Parse"/> as
/// scenarios do: a Kolmogorov–Smirnov test against the exact CDF (Math.NET Numerics, an independent implementation), and
/// the sample mean against <see cref="Distribution.Mean"/>. Seeds are fixed, so each test is deterministic; the
/// thresholds are those a correct sampler passes with probability 0.999, and a swapped or mis-scaled parameter fails
/// them by far (KS distances of 0.1 and more at this sample size).
/// </summary>
public sealed class DistributionFitTests
{
    private const int Samples = 20_000;

    // Kolmogorov's asymptotic critical value at α = 0.001 is 1.9495/√n (0.0138 for 20,000 samples).
    private static readonly double Critical = 1.9495 / Math.Sqrt(Samples);

    public static TheoryData<string, ulong> Cases { get; } = new()
    {
        { "exp(300)", 1 },
        { "uniform(2, 5)", 2 },
        { "normal(10, 2)", 3 },
        { "normal(1, 2)", 4 },           // truncated at zero: a third of the untruncated mass is redrawn
        { "lognormal(1.5, 0.4)", 5 },
        { "triangular(1, 2, 6)", 6 },
        { "triangular(0, 0, 3)", 7 },    // mode at the lower bound
        { "gamma(2.5, 40)", 8 },
        { "gamma(0.5, 10)", 9 },         // shape below 1: the boosted branch
        { "erlang(3, 120)", 10 },
        { "weibull(1.5, 100)", 11 },
        { "weibull(0.7, 20)", 12 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Samples_follow_the_exact_distribution_by_Kolmogorov_Smirnov(string text, ulong seed)
    {
        var distribution = Distribution.Parse(text).Value!;
        var cdf = Cdf(distribution);
        var random = new SimRandom(seed);
        var sample = new double[Samples];
        for (var i = 0; i < Samples; i++)
        {
            sample[i] = distribution.Sample(random);
        }
        Array.Sort(sample);

        var distance = 0.0;
        for (var i = 0; i < Samples; i++)
        {
            var f = cdf(sample[i]);
            distance = Math.Max(distance, Math.Max(((i + 1.0) / Samples) - f, f - ((double)i / Samples)));
        }

        Assert.True(distance < Critical, $"{text}: KS distance {distance:F4} >= critical {Critical:F4}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_sample_mean_matches_the_stated_mean(string text, ulong seed)
    {
        var distribution = Distribution.Parse(text).Value!;
        var random = new SimRandom(seed + 100);
        var values = new double[Samples];
        for (var i = 0; i < Samples; i++)
        {
            values[i] = distribution.Sample(random);
        }
        var mean = values.Average();
        var deviation = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (Samples - 1));
        // Truncated normals: Distribution.Mean is documented as the untruncated one, so compare with the truncated mean.
        var expected = distribution.Kind == "normal" ? TruncatedNormalMean(distribution.Parameters[0], distribution.Parameters[1]) : distribution.Mean;

        // 3.29 standard errors: two-sided 0.999.
        Assert.True(Math.Abs(mean - expected) < 3.29 * deviation / Math.Sqrt(Samples), $"{text}: sample mean {mean:F4}, expected {expected:F4} (sd {deviation:F4})");
    }

    [Fact]
    public void A_swapped_parameter_is_caught()
    {
        // The test above fails for a sampler that mixes up its parameters: here shape and scale of a Weibull.
        var random = new SimRandom(11);
        var sample = Enumerable.Range(0, Samples).Select(_ => random.Weibull(100, 1.5)).Order().ToArray();
        var cdf = Cdf(Distribution.Parse("weibull(1.5, 100)").Value!);
        var distance = sample.Select((x, i) => Math.Abs(((i + 1.0) / Samples) - cdf(x))).Max();

        Assert.True(distance > 10 * Critical, $"KS distance {distance:F4}");
    }

    private static Func<double, double> Cdf(Distribution distribution)
    {
        var p = distribution.Parameters;
        return distribution.Kind switch
        {
            "exp" => new Exponential(1 / p[0]).CumulativeDistribution,
            "uniform" => new ContinuousUniform(p[0], p[1]).CumulativeDistribution,
            "normal" => TruncatedAtZero(new Normal(p[0], p[1])),
            "lognormal" => new LogNormal(p[0], p[1]).CumulativeDistribution,
            "triangular" => new Triangular(p[0], p[2], p[1]).CumulativeDistribution,
            "gamma" => new Gamma(p[0], 1 / p[1]).CumulativeDistribution,
            "erlang" => new Erlang((int)p[0], p[0] / p[1]).CumulativeDistribution,
            "weibull" => new Weibull(p[0], p[1]).CumulativeDistribution,
            _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution.Kind, "no reference CDF"),
        };
    }

    // normal(μ, σ) in a scenario never goes negative: it is the normal conditioned on x ≥ 0.
    private static Func<double, double> TruncatedAtZero(Normal normal)
    {
        var below = normal.CumulativeDistribution(0);
        return x => x < 0 ? 0 : (normal.CumulativeDistribution(x) - below) / (1 - below);
    }

    private static double TruncatedNormalMean(double mu, double sigma)
    {
        var alpha = -mu / sigma;
        return mu + (sigma * Normal.PDF(0, 1, alpha) / (1 - Normal.CDF(0, 1, alpha)));
    }
}
