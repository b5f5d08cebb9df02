using Doppel.Packs.Foresight;
using Doppel.Simulation;
using Doppel.Simulation.Experiments;
using MathNet.Numerics.Distributions;

namespace Doppel.Tests.Packs.Foresight;

/// <summary>
/// The maintenance decision: the simulated cost of a plan against its closed form for one engine, the interval's
/// coverage, and the kernel's optimizer against exhaustive search over every plan on the same replications.
/// </summary>
public sealed class EngineMaintenanceTests
{
    private static readonly MaintenanceCosts Costs = new(Service: 10, Failure: 100, Grounded: 2, UnusedLife: 0.5);

    [Fact]
    public void The_simulated_cost_of_servicing_one_engine_matches_its_closed_form_in_every_period()
    {
        // One engine, life ~ N(40, σ) with the 90% interval [30, 50]; no grounding cost, so that the expected cost is
        // failure·P(T ≤ s) + service·P(T > s) + unusedLife·E[(T − s)⁺] with s the service time.
        var problem = new FleetMaintenanceProblem([new EnginePrediction("e1", 40, 30, 50)], 0.9, PeriodLength: 10, Periods: 8, Capacity: 1, Costs with { Grounded = 0 });
        var simulation = new FleetMaintenanceSimulation(problem);
        var sigma = 10 / Normal.InvCDF(0, 1, 0.95);
        // Where the engine is all but sure to have failed, the closed form differs from 100 by less than 20,000 draws can see.
        const int replications = 20_000;

        for (var period = 0; period <= problem.Periods; period++)
        {
            var costs = new double[replications];
            for (var r = 0; r < replications; r++)
            {
                costs[r] = simulation.Run([period], SeedSequence.For(7, 0, r)).Cost;
            }
            var observed = KpiSummary.Of(costs);
            double expected;
            if (period == problem.NotServiced)
            {
                expected = Costs.Failure * Normal.CDF(40, sigma, problem.Horizon);
            }
            else
            {
                var s = period * problem.PeriodLength;
                var z = (s - 40) / sigma;
                var survives = 1 - Normal.CDF(0, 1, z);
                var unused = (sigma * Normal.PDF(0, 1, z)) + ((40 - s) * survives);
                expected = (Costs.Failure * (1 - survives)) + (Costs.Service * survives) + (Costs.UnusedLife * unused);
            }
            Assert.True(Math.Abs(observed.Mean - expected) <= (4 * observed.StandardError) + 0.01,
                $"period {period + 1}: simulated {observed.Mean:F3} ± {observed.StandardError:F3}, closed form {expected:F3}");
        }
    }

    [Fact]
    public void A_skewed_interval_holds_its_coverage_and_puts_the_rest_on_each_side_in_proportion_to_its_half()
    {
        var distribution = new RulDistribution(new EnginePrediction("e1", 60, 45, 90), 0.8);
        var random = new SimRandom(11);
        const int n = 200_000;
        var inside = 0;
        var below = 0;
        for (var i = 0; i < n; i++)
        {
            var life = distribution.Sample(random);
            inside += life is >= 45 and <= 90 ? 1 : 0;
            below += life < 60 ? 1 : 0;
        }

        Assert.Equal(0.8, (double)inside / n, 2);
        Assert.Equal(15.0 / 45, (double)below / n, 2);
    }

    [Fact]
    public void The_optimizer_finds_the_plan_exhaustive_search_finds_on_the_same_replications()
    {
        // Six engines, three periods of 10 cycles (and "not serviced"), a crew of two jobs a period: 4⁶ = 4,096 plans,
        // of which the feasible ones are all evaluated with the same seeds the optimizer uses (common random numbers),
        // so that its best plan's mean cost must equal the exhaustive minimum exactly.
        EnginePrediction[] engines =
        [
            new("e1", 6, 1, 12), new("e2", 12, 5, 20), new("e3", 18, 12, 26), new("e4", 24, 14, 36), new("e5", 30, 22, 45), new("e6", 45, 30, 60),
        ];
        var problem = new FleetMaintenanceProblem(engines, 0.9, PeriodLength: 10, Periods: 3, Capacity: 2, Costs);
        var simulation = new FleetMaintenanceSimulation(problem);
        const ulong seed = 5;
        const int replications = 30;

        var found = new MaintenancePlanner(simulation).Optimize(new MaintenanceSearch(Population: 24, Generations: 30), seed, replications);
        var (best, bestCost, feasible) = Exhaustive(simulation, seed, replications);

        Assert.True(problem.IsFeasible(found.Plan), $"the plan [{string.Join(", ", found.Plan)}] overbooks the crew");
        Assert.True(found.Evaluated < feasible, $"the optimizer evaluated {found.Evaluated} of {feasible} feasible plans");
        // The kernel's genetic search reaches it by itself; the local search only confirms no move improves it.
        Assert.True(Math.Abs(bestCost - found.GeneticCost) < 1e-9, $"the genetic search stopped at {found.GeneticCost:F4}");
        Assert.True(found.LocalOptimum);
        Assert.True(Math.Abs(bestCost - found.Cost.Mean) < 1e-9,
            $"exhaustive search: [{string.Join(", ", best)}] at {bestCost:F4}; the optimizer: [{string.Join(", ", found.Plan)}] at {found.Cost.Mean:F4}");
    }

    [Fact]
    public void With_one_job_a_period_the_optimizer_still_finds_the_exhaustive_optimum_and_beats_the_rule()
    {
        // The crew is the constraint: five engines due soon and one job a period over four periods.
        EnginePrediction[] engines = [new("a", 9, 4, 15), new("b", 11, 3, 22), new("c", 16, 10, 22), new("d", 25, 12, 40), new("e", 33, 28, 38)];
        var problem = new FleetMaintenanceProblem(engines, 0.9, PeriodLength: 8, Periods: 4, Capacity: 1, Costs);
        var simulation = new FleetMaintenanceSimulation(problem);
        var planner = new MaintenancePlanner(simulation);

        var found = planner.Optimize(new MaintenanceSearch(Population: 24, Generations: 30), 9, 40);
        var (best, bestCost, _) = Exhaustive(simulation, 9, 40);
        var rule = Mean(simulation, found.RulePlan, 9, 40);

        Assert.True(problem.IsFeasible(found.RulePlan));
        Assert.True(Math.Abs(bestCost - found.Cost.Mean) < 1e-9,
            $"exhaustive search: [{string.Join(", ", best)}] at {bestCost:F4}; the optimizer: [{string.Join(", ", found.Plan)}] at {found.Cost.Mean:F4}");
        Assert.True(found.Cost.Mean <= rule, $"optimized {found.Cost.Mean:F2} against the rule's {rule:F2}");
    }

    [Fact]
    public void Failures_take_the_crew_first_and_push_planned_services_back()
    {
        // Two engines certain to fail in period 1 and one planned for period 2, with a crew of one job a period: the
        // repairs take periods 2 and 3, so the planned service waits until period 4.
        EnginePrediction[] engines = [new("x", 3, 3, 3), new("y", 4, 4, 4), new("z", 100, 100, 100)];
        var problem = new FleetMaintenanceProblem(engines, 0.9, PeriodLength: 10, Periods: 4, Capacity: 1, Costs);

        var outcome = new FleetMaintenanceSimulation(problem).Run([problem.NotServiced, problem.NotServiced, 1], 1);

        Assert.Equal(2, outcome.Failures);
        Assert.Equal(1, outcome.Services);
        Assert.Equal(2, outcome.Postponed);
        Assert.Equal((10 - 3) + (20 - 4), outcome.GroundedCycles, 9);
        Assert.Equal(100 - 30, outcome.UnusedLife, 9);
        Assert.Equal((2 * Costs.Failure) + Costs.Service + (23 * Costs.Grounded) + (70 * Costs.UnusedLife), outcome.Cost, 9);
    }

    /// <summary>Every plan the crew can keep, each on the same replications: the cheapest, its mean cost, and how many there were.</summary>
    private static (int[] Plan, double Cost, int Feasible) Exhaustive(FleetMaintenanceSimulation simulation, ulong seed, int replications)
    {
        var problem = simulation.Problem;
        var n = problem.Engines.Count;
        var options = problem.Periods + 1;
        int[]? best = null;
        var bestCost = double.PositiveInfinity;
        var feasible = 0;
        var plan = new int[n];
        for (var code = 0; code < (int)Math.Pow(options, n); code++)
        {
            for (int i = 0, rest = code; i < n; i++, rest /= options)
            {
                plan[i] = rest % options;
            }
            if (!problem.IsFeasible(plan))
            {
                continue;
            }
            feasible++;
            var cost = Mean(simulation, plan, seed, replications);
            if (cost < bestCost)
            {
                (best, bestCost) = ((int[])plan.Clone(), cost);
            }
        }
        return (best!, bestCost, feasible);
    }

    // The seeds the kernel's experiment runner gives replication r of any candidate (common random numbers).
    private static double Mean(FleetMaintenanceSimulation simulation, IReadOnlyList<int> plan, ulong seed, int replications)
    {
        var sum = 0.0;
        for (var r = 0; r < replications; r++)
        {
            sum += simulation.Run(plan, SeedSequence.For(seed, 0, r)).Cost;
        }
        return sum / replications;
    }
}
