using Doppel.Packs.Manufacturing;
using Doppel.Simulation;
using Doppel.Simulation.Optimization;

namespace Doppel.Tests.Packs.Manufacturing;

/// <summary>CMA-ES on the simulated line against renewal-reward theory: the preventive maintenance interval of a wearing machine.</summary>
public sealed class CmaEsMaintenanceTests
{
    private const double Scale = 100, Shape = 3, Repair = 20, Maintenance = 2;

    private static double Survival(double t) => Math.Exp(-Math.Pow(t / Scale, Shape));

    /// <summary>
    /// Long-run availability under age replacement at working age T (renewal-reward): A(T) = ∫₀ᵀ R(t) dt / (∫₀ᵀ R(t) dt + P·R(T) + Rr·F(T)),
    /// with the integral by composite Simpson.
    /// </summary>
    private static double Availability(double interval)
    {
        const int steps = 4_000;
        var h = interval / steps;
        var uptime = 0.0;
        for (var i = 0; i < steps; i++)
        {
            uptime += h * (Survival(i * h) + (4 * Survival((i + 0.5) * h)) + Survival((i + 1) * h)) / 6;
        }
        var failed = 1 - Survival(interval);
        return uptime / (uptime + (Maintenance * (1 - failed)) + (Repair * failed));
    }

    /// <summary>The maximum of a unimodal function on [a, b] by golden-section search.</summary>
    private static double GoldenSection(Func<double, double> f, double a, double b)
    {
        var ratio = (Math.Sqrt(5) - 1) / 2;
        double c = b - (ratio * (b - a)), d = a + (ratio * (b - a));
        while (b - a > 1e-6)
        {
            if (f(c) > f(d))
            {
                (b, d) = (d, c);
                c = b - (ratio * (b - a));
            }
            else
            {
                (a, c) = (c, d);
                d = a + (ratio * (b - a));
            }
        }
        return (a + b) / 2;
    }

    [Fact]
    public void Cma_es_on_the_simulation_finds_an_interval_as_good_as_the_renewal_reward_optimum()
    {
        // Given one machine with cycle 1 (so output = share of time working), Weibull(3, 100) wear in working time,
        // repairs of 20 and maintenance of 2 that renews it at working age T
        var best = GoldenSection(Availability, 5, 300);
        double Throughput(double[] x, ulong seed) => new ProductionLine(new Doppel.Simulation.Simulation(seed), new LineDefinition([new StationDefinition("press", Distribution.Constant(1))
        {
            TimeToFailure = Distribution.Parse("weibull(3, 100)").Value,
            TimeToRepair = Distribution.Constant(Repair),
            MaintenanceInterval = x[0],
            MaintenanceTime = Distribution.Constant(Maintenance),
        }], [])).Run(50_000, warmup: 1_000).Throughput;

        // When CMA-ES searches T in [5, 300] on the simulation
        var result = new CmaEsOptimizer(new ContinuousProblem([5], [300]), new CmaEsOptions { Seed = 3, Replications = 4, MaxGenerations = 25, Tolerance = 1e-3 })
            .Maximize(Throughput);

        // Then the availability at the found interval (the final mean, which noise flatters least) is within 0.2% of the
        // optimum's: A is flat near T* (0.2% spans T = 32.5 to 45), so that is the precision that matters. Over seeds 1 to 9
        // the search came within 0.007%, so it also holds the tighter 0.05% (T* ± about 3).
        var found = result.Mean[0];
        var message = $"A({found:F2}) = {Availability(found):F6} against A(T* = {best:F2}) = {Availability(best):F6}";
        Assert.InRange(best, 38, 38.5);
        Assert.True(Availability(found) >= 0.998 * Availability(best), message);
        Assert.True(Availability(found) >= 0.9995 * Availability(best), message);
    }
}
