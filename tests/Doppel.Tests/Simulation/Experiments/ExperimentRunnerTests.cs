using System.Collections.Concurrent;
using Doppel.Simulation;
using Doppel.Simulation.Experiments;

namespace Doppel.Tests.Simulation.Experiments;

/// <summary>The experiment runner: valid intervals, determinism on any core count, paired comparisons, stopping, cancellation.</summary>
public sealed class ExperimentRunnerTests
{
    /// <summary>The mean of 12 uniform draws: true mean 0.5, close to normal.</summary>
    private static readonly Replication MeanOfUniforms = (context, _) =>
        new Dictionary<string, double> { ["mean"] = new SimRandom(context.Seed).MeanOfUniforms(12) };

    /// <summary>A KPI whose replications take very different amounts of CPU, so on two cores they finish out of order.</summary>
    private static readonly Replication UnevenWork = (context, cancellationToken) =>
    {
        var random = new SimRandom(context.Seed);
        var draws = 1_000 + (int)(random.NextUInt64() % 40_000);
        var sum = 0.0;
        var max = 0.0;
        for (var i = 0; i < draws; i++)
        {
            var x = random.NextDouble() * context["scale"];
            sum += x;
            max = Math.Max(max, x);
        }
        return new Dictionary<string, double> { ["mean"] = sum / draws, ["max"] = max, ["draws"] = draws };
    };

    private static readonly Scenario[] Scales =
    [
        new("small", new Dictionary<string, double> { ["scale"] = 1 }),
        new("large", new Dictionary<string, double> { ["scale"] = 3 }),
        new("huge", new Dictionary<string, double> { ["scale"] = 10 }),
    ];

    [Fact]
    public void Confidence_intervals_cover_the_true_mean_about_95_percent_of_the_time()
    {
        // Given 400 experiments with different seeds, each 10 replications of a KPI with mean 0.5
        var covered = 0;
        for (ulong seed = 0; seed < 400; seed++)
        {
            var result = new ExperimentRunner(new ExperimentOptions { Seed = seed, Replications = 10 })
                .Run([new Scenario("s")], MeanOfUniforms);
            var summary = result["s"]["mean"];
            if (summary.Lower <= 0.5 && 0.5 <= summary.Upper)
            {
                covered++;
            }
        }

        // Then the 95% interval covers 0.5 in 92%–98% of them (about ±2.7 binomial standard deviations)
        Assert.InRange(covered, 368, 392);
    }

    [Fact]
    public void One_and_two_cores_give_bit_identical_results()
    {
        var options = new ExperimentOptions { Seed = 7, Replications = 60 };

        var sequential = new ExperimentRunner(options with { MaxDegreeOfParallelism = 1 }).Run(Scales, UnevenWork);
        var parallel = new ExperimentRunner(options with { MaxDegreeOfParallelism = 2 }).Run(Scales, UnevenWork);
        var again = new ExperimentRunner(options with { MaxDegreeOfParallelism = 2 }).Run(Scales, UnevenWork);

        AssertBitIdentical(sequential, parallel);
        AssertBitIdentical(parallel, again);
    }

    [Fact]
    public void Another_seed_gives_other_results()
    {
        var a = new ExperimentRunner(new ExperimentOptions { Seed = 1 }).Run([new Scenario("s")], MeanOfUniforms);
        var b = new ExperimentRunner(new ExperimentOptions { Seed = 2 }).Run([new Scenario("s")], MeanOfUniforms);

        Assert.NotEqual(a["s"].Values("mean"), b["s"].Values("mean"));
    }

    [Fact]
    public void Replications_receive_the_seeds_of_the_seed_sequence()
    {
        var seen = new ConcurrentDictionary<(int, int), (ulong, ulong)>();
        new ExperimentRunner(new ExperimentOptions { Seed = 99, Replications = 5 }).Run(Scales, (context, _) =>
        {
            seen[(context.ScenarioIndex, context.Index)] = (context.Seed, context.Stream(2));
            return new Dictionary<string, double> { ["x"] = 0 };
        });

        Assert.Equal(15, seen.Count);
        foreach (var ((scenario, replication), (seed, stream2)) in seen)
        {
            Assert.Equal(SeedSequence.For(99, scenario, replication), seed);
            Assert.Equal(SeedSequence.For(99, scenario, replication, 2), stream2);
        }
    }

    [Fact]
    public void Common_random_numbers_make_a_constant_shift_exact()
    {
        // Given two scenarios whose KPI differs by a constant shift on the same random numbers
        Scenario[] scenarios =
        [
            new("baseline", new Dictionary<string, double> { ["shift"] = 0 }),
            new("shifted", new Dictionary<string, double> { ["shift"] = 0.25 }),
        ];
        Replication shifted = (context, _) =>
            new Dictionary<string, double> { ["kpi"] = new SimRandom(context.Seed).MeanOfUniforms(50) + context["shift"] };

        // When compared with common random numbers, the paired interval is the shift with (almost) no width
        var crn = new ExperimentRunner(new ExperimentOptions { Seed = 3, Replications = 20 }).Run(scenarios, shifted)
            .Compare("baseline", "shifted", "kpi");
        Assert.True(crn.Paired);
        Assert.Equal(0.25, crn.Difference, 12);
        Assert.InRange(crn.HalfWidth, 0, 1e-12);
        Assert.True(crn.IsSignificant);

        // And without them, Welch's interval carries the full noise of both scenarios
        var independent = new ExperimentRunner(new ExperimentOptions { Seed = 3, Replications = 20, CommonRandomNumbers = false })
            .Run(scenarios, shifted).Compare("baseline", "shifted", "kpi");
        Assert.False(independent.Paired);
        Assert.True(independent.HalfWidth > 0.01, $"half-width {independent.HalfWidth}");
        Assert.InRange(independent.Difference, independent.Lower, independent.Upper);
    }

    [Fact]
    public void Sequential_stopping_reaches_the_precision_deterministically()
    {
        // Given a precision of ±2% of the mean, added in batches of 20 after 10 replications
        var options = new ExperimentOptions
        {
            Seed = 11,
            Replications = 10,
            Stopping = new SequentialStopping { RelativePrecision = 0.02, BatchSize = 20, MaxReplications = 2_000 },
        };
        Scenario[] scenarios =
        [
            new("narrow", new Dictionary<string, double> { ["draws"] = 40 }),
            new("wide", new Dictionary<string, double> { ["draws"] = 4 }),
        ];
        Replication replication = (context, _) =>
            new Dictionary<string, double> { ["mean"] = new SimRandom(context.Seed).MeanOfUniforms((int)context["draws"]) };

        var one = new ExperimentRunner(options with { MaxDegreeOfParallelism = 1 }).Run(scenarios, replication);
        var two = new ExperimentRunner(options with { MaxDegreeOfParallelism = 2 }).Run(scenarios, replication);

        // Then each scenario stops once its interval is that tight, the noisier one later, the same on 1 and 2 cores
        foreach (var scenario in one.Scenarios)
        {
            var summary = scenario["mean"];
            Assert.True(scenario.PrecisionReached);
            Assert.True(summary.HalfWidth <= 0.02 * summary.Mean);
            Assert.Equal(0, (scenario.Replications - 10) % 20);
            Assert.True(scenario.Replications > 10);
        }
        Assert.True(one["wide"].Replications > one["narrow"].Replications);
        AssertBitIdentical(one, two);
    }

    [Fact]
    public void Sequential_stopping_ends_at_the_maximum_when_the_precision_is_out_of_reach()
    {
        var options = new ExperimentOptions
        {
            Replications = 5,
            Stopping = new SequentialStopping { RelativePrecision = 1e-6, BatchSize = 10, MaxReplications = 42 },
        };

        var result = new ExperimentRunner(options).Run([new Scenario("s")], MeanOfUniforms);

        Assert.False(result["s"].PrecisionReached);
        Assert.Equal(42, result["s"].Replications);
    }

    [Fact]
    public void Cancellation_stops_promptly_and_throws()
    {
        using var cancellation = new CancellationTokenSource();
        var started = 0;
        Replication replication = (context, cancellationToken) =>
        {
            Interlocked.Increment(ref started);
            if (context.Index == 10)
            {
                cancellation.Cancel();
            }
            var random = new SimRandom(context.Seed);
            var sum = 0.0;
            for (var i = 0; i < 100_000; i++)
            {
                if ((i & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                sum += random.NextDouble();
            }
            return new Dictionary<string, double> { ["sum"] = sum };
        };

        var runner = new ExperimentRunner(new ExperimentOptions { Replications = 10_000, MaxDegreeOfParallelism = 2 });

        Assert.Throws<OperationCanceledException>(() => runner.Run([new Scenario("s")], replication, cancellationToken: cancellation.Token));
        Assert.InRange(started, 11, 13);
    }

    [Fact]
    public void An_already_cancelled_token_runs_nothing()
    {
        var started = 0;
        Assert.Throws<OperationCanceledException>(() => new ExperimentRunner().Run([new Scenario("s")], (context, _) =>
        {
            Interlocked.Increment(ref started);
            return new Dictionary<string, double>();
        }, cancellationToken: new CancellationToken(canceled: true)));
        Assert.Equal(0, started);
    }

    [Fact]
    public void Progress_reaches_the_total()
    {
        var reports = new ConcurrentQueue<ExperimentProgress>();
        var progress = new SynchronousProgress(reports.Enqueue);

        new ExperimentRunner(new ExperimentOptions { Replications = 25, MaxDegreeOfParallelism = 2 }).Run(Scales, UnevenWork, progress);

        Assert.Equal(75, reports.Count);
        Assert.All(reports, r => Assert.Equal(75, r.Total));
        Assert.Equal(Enumerable.Range(1, 75), reports.Select(r => r.Completed).Order());
    }

    [Fact]
    public void The_first_failing_replication_is_reported_with_its_seed_whatever_the_parallelism()
    {
        Replication failing = (context, _) => context.ScenarioIndex == 1 && context.Index is 7 or 30 or 31
            ? throw new InvalidOperationException($"boom {context.Index}")
            : UnevenWork(context, CancellationToken.None);

        foreach (var cores in new[] { 1, 2 })
        {
            var runner = new ExperimentRunner(new ExperimentOptions { Seed = 5, Replications = 40, MaxDegreeOfParallelism = cores });

            var exception = Assert.Throws<ReplicationException>(() => runner.Run(Scales, failing));

            Assert.Equal("large", exception.Scenario);
            Assert.Equal(7, exception.Replication);
            Assert.Equal(SeedSequence.For(5, 1, 7), exception.Seed);
            Assert.Equal("boom 7", exception.InnerException!.Message);
        }
    }

    [Fact]
    public void Replications_must_return_the_same_kpis()
    {
        Replication inconsistent = (context, _) => context.Index == 3
            ? new Dictionary<string, double> { ["other"] = 1 }
            : new Dictionary<string, double> { ["kpi"] = 1 };

        var exception = Assert.Throws<InvalidOperationException>(() => new ExperimentRunner().Run([new Scenario("s")], inconsistent));

        Assert.Contains("Replication 3 of scenario 's'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scenario_names_must_be_unique()
    {
        Assert.Throws<ArgumentException>(() => new ExperimentRunner().Run([new Scenario("s"), new Scenario("s")], MeanOfUniforms));
    }

    private static void AssertBitIdentical(ExperimentResult expected, ExperimentResult actual)
    {
        Assert.Equal(expected.Scenarios.Count, actual.Scenarios.Count);
        for (var s = 0; s < expected.Scenarios.Count; s++)
        {
            var e = expected.Scenarios[s];
            var a = actual.Scenarios[s];
            Assert.Equal(e.Replications, a.Replications);
            Assert.Equal(e.KpiNames, a.KpiNames);
            foreach (var kpi in e.KpiNames)
            {
                Assert.Equal(e.Values(kpi).Select(BitConverter.DoubleToInt64Bits), a.Values(kpi).Select(BitConverter.DoubleToInt64Bits));
                var (x, y) = (e[kpi], a[kpi]);
                Assert.Equal(
                    new[] { x.Mean, x.Variance, x.HalfWidth, x.Min, x.Max }.Select(BitConverter.DoubleToInt64Bits),
                    new[] { y.Mean, y.Variance, y.HalfWidth, y.Min, y.Max }.Select(BitConverter.DoubleToInt64Bits));
            }
        }
    }

    /// <summary>Reports on the calling thread (<see cref="Progress{T}"/> would post to the thread pool and arrive late).</summary>
    private sealed class SynchronousProgress(Action<ExperimentProgress> report) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value) => report(value);
    }
}
