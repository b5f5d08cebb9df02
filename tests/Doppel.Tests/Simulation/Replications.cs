namespace Doppel.Tests.Simulation;

/// <summary>Independent replications of a seeded model and the 95% confidence interval of each output (Student t).</summary>
internal static class Replications
{
    // t(0.975, n - 1) for the replication counts the tests use.
    private static readonly Dictionary<int, double> T975 = new() { [10] = 2.262157, [20] = 2.093024, [30] = 2.045230, [40] = 2.022691 };

    public static (double Mean, double HalfWidth)[] Run(int replications, ulong seed, Func<ulong, double[]> model)
    {
        // In parallel, but stored by index: the outcome does not depend on scheduling.
        var results = new double[replications][];
        Parallel.For(0, replications, r => results[r] = model(seed + ((ulong)r * 0x9E3779B97F4A7C15UL)));
        var outputs = results[0].Length;
        var summary = new (double, double)[outputs];
        for (var k = 0; k < outputs; k++)
        {
            var values = results.Select(r => r[k]).ToArray();
            var mean = values.Average();
            var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
            summary[k] = (mean, T975[replications] * Math.Sqrt(variance / values.Length));
        }
        return summary;
    }

    /// <summary>Asserts that the interval contains the exact value and is tight (half-width within a fraction of it).</summary>
    public static void AssertCovers((double Mean, double HalfWidth) estimate, double exact, double relativePrecision, string what)
    {
        Assert.True(Math.Abs(estimate.Mean - exact) <= estimate.HalfWidth,
            $"{what}: {estimate.Mean:F5} ± {estimate.HalfWidth:F5} does not contain the exact {exact:F5}");
        Assert.True(estimate.HalfWidth <= relativePrecision * exact,
            $"{what}: the interval ±{estimate.HalfWidth:F5} is not within {relativePrecision:P0} of {exact:F5}; run more replications");
    }
}
