using Doppel.Packs.Manufacturing;
using Doppel.Simulation;
using Doppel.Simulation.Optimization;

namespace Doppel.Tests.Packs.Manufacturing;

/// <summary>Buffer allocation under a budget: the genetic optimizer against exhaustive search on the same replications.</summary>
public sealed class BufferAllocationTests
{
    private static readonly StationDefinition[] Stations =
    [
        new("cut", Distribution.Exponential(1.0)),
        new("weld", Distribution.Exponential(1.0)) { TimeToFailure = Distribution.Exponential(60), TimeToRepair = Distribution.Exponential(8) },
        new("paint", Distribution.Exponential(0.9)),
        new("pack", Distribution.Exponential(1.05)) { TimeToFailure = Distribution.Exponential(120), TimeToRepair = Distribution.Exponential(10) },
    ];

    private static double Throughput(IReadOnlyList<int> buffers, ulong seed) =>
        new ProductionLine(new Doppel.Simulation.Simulation(seed), new LineDefinition(Stations, buffers)).Run(5_000, warmup: 500).Throughput;

    [Fact]
    public void The_genetic_optimizer_finds_the_allocation_exhaustive_search_finds_on_the_same_replications()
    {
        var problem = new AllocationProblem(Budget: 12, Minimum: [1, 1, 1], Maximum: [10, 10, 10]);
        var options = new AllocationOptimizerOptions { Seed = 3, Replications = 6, PopulationSize = 10, Generations = 6 };

        var found = new AllocationOptimizer(problem, options).Maximize(Throughput);
        // Exhaustive search with the same replication seeds (common random numbers give every candidate the same seeds).
        var all = problem.Enumerate().ToList();
        var everything = new Doppel.Simulation.Experiments.ExperimentRunner(new Doppel.Simulation.Experiments.ExperimentOptions { Seed = 3, Replications = 6 })
            .Run([.. all.Select(a => new Doppel.Simulation.Experiments.Scenario(string.Join(',', a)))], (context, _) =>
                new Dictionary<string, double> { ["objective"] = Throughput([.. context.Scenario.Name.Split(',').Select(int.Parse)], context.Seed) });
        var best = everything.Scenarios.MaxBy(s => s["objective"].Mean)!;

        Assert.Equal(55, all.Count);
        Assert.True(found.Evaluated < all.Count, $"the optimizer evaluated {found.Evaluated} of {all.Count} allocations");
        Assert.Equal(best["objective"].Mean, found.Objective.Mean, 12);
        Assert.All(found.Candidates.Keys, key => Assert.True(problem.IsFeasible([.. key.Split(',').Select(int.Parse)]), key));
    }

    [Fact]
    public void The_search_is_deterministic_for_a_seed_whatever_the_cores()
    {
        var problem = new AllocationProblem(Budget: 9, Minimum: [1, 1, 1], Maximum: [7, 7, 7]);

        var one = new AllocationOptimizer(problem, new AllocationOptimizerOptions { Seed = 5, Replications = 3, MaxDegreeOfParallelism = 1, Generations = 3, PopulationSize = 6 }).Maximize(Throughput);
        var two = new AllocationOptimizer(problem, new AllocationOptimizerOptions { Seed = 5, Replications = 3, MaxDegreeOfParallelism = 2, Generations = 3, PopulationSize = 6 }).Maximize(Throughput);

        Assert.Equal(one.Best, two.Best);
        Assert.Equal(one.Objective.Mean, two.Objective.Mean);
        Assert.Equal(one.Evaluated, two.Evaluated);
    }

    [Fact]
    public void An_impossible_budget_is_refused_with_the_reason()
    {
        var problem = new AllocationProblem(Budget: 2, Minimum: [1, 1, 1], Maximum: [5, 5, 5]);

        Assert.Contains("minimums add up to 3", Assert.Single(problem.Validate()), StringComparison.Ordinal);
    }
}
