using BenchmarkDotNet.Attributes;
using Doppel.Simulation.Experiments;

namespace Doppel.Benchmarks.Simulation;

/// <summary>
/// Parallel speed-up of experiment replications: 16 CPU-bound replications (each sums 10⁶ SplitMix64 uniforms) on 1
/// and on 2 cores. Mean(1) / Mean(2) is the speed-up, near 2 on two idle cores. Run:
/// <c>dotnet run -c Release --project benchmarks/Doppel.Benchmarks -- --filter *ExperimentSpeedup* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class ExperimentSpeedupBenchmarks
{
    private const int Draws = 1_000_000;
    private static readonly Scenario[] Scenarios = [new("sum")];

    /// <summary>Replications run at once.</summary>
    [Params(1, 2)]
    public int Cores { get; set; }

    [Benchmark]
    public double SixteenReplications()
    {
        var options = new ExperimentOptions { Seed = 1, Replications = 16, MaxDegreeOfParallelism = Cores };
        return new ExperimentRunner(options).Run(Scenarios, SumOfUniforms)["sum"]["sum"].Mean;
    }

    private static IReadOnlyDictionary<string, double> SumOfUniforms(ReplicationContext context, CancellationToken cancellationToken)
    {
        var state = context.Seed;
        var sum = 0.0;
        for (var i = 0; i < Draws; i++)
        {
            state += 0x9E3779B97F4A7C15;
            sum += (SeedSequence.Mix(state) >> 11) * (1.0 / (1UL << 53));
        }
        return new Dictionary<string, double> { ["sum"] = sum };
    }
}
