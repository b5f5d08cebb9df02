using Doppel.Simulation.Experiments;

namespace Doppel.Tests.Simulation;

/// <summary>Independent replications of a seeded model through the experiment runner, and the 95% confidence interval of each output.</summary>
internal static class Replications
{
    public static (double Mean, double HalfWidth)[] Run(int replications, ulong seed, Func<ulong, double[]> model)
    {
        var runner = new ExperimentRunner(new ExperimentOptions { Seed = seed, Replications = replications });
        var result = runner.Run([new Scenario("model")], (context, _) =>
        {
            var outputs = model(context.Seed);
            return outputs.Select((value, i) => (Key: $"k{i}", value)).ToDictionary(p => p.Key, p => p.value);
        });
        var scenario = result["model"];
        return [.. Enumerable.Range(0, scenario.KpiNames.Count).Select(i => (scenario[$"k{i}"].Mean, scenario[$"k{i}"].HalfWidth))];
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
