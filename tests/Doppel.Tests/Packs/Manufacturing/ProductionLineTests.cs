using Doppel.Packs.Manufacturing;
using Doppel.Simulation;
using Doppel.Tests.Simulation;
using static Doppel.Tests.Simulation.Replications;

namespace Doppel.Tests.Packs.Manufacturing;

/// <summary>The manufacturing pack's line against exact results, and its KPIs (OEE, bottleneck) on lines whose answer is known.</summary>
public sealed class ProductionLineTests
{
    [Fact]
    public void A_two_station_line_with_blocking_after_service_matches_the_Markov_chain()
    {
        // Blocking after service with a buffer of B equals the chain with room for B + 2 parts (buffer, the part at
        // station 2, and the finished part station 1 holds while blocked).
        const double mu1 = 1.0, mu2 = 1.1, p1 = 0.01, r1 = 0.1, p2 = 0.02, r2 = 0.15;
        const int buffer = 3;
        var exact = TwoMachineMarkovChain.Throughput(mu1, mu2, p1, r1, p2, r2, buffer + 2);
        var line = new LineDefinition(
        [
            new StationDefinition("press", Distribution.Exponential(1 / mu1)) { TimeToFailure = Distribution.Exponential(1 / p1), TimeToRepair = Distribution.Exponential(1 / r1) },
            new StationDefinition("weld", Distribution.Exponential(1 / mu2)) { TimeToFailure = Distribution.Exponential(1 / p2), TimeToRepair = Distribution.Exponential(1 / r2) },
        ], [buffer]);

        var estimate = Run(20, seed: 11, seed => [new ProductionLine(new Doppel.Simulation.Simulation(seed), line).Run(1_000_000, warmup: 20_000).Throughput]);

        AssertCovers(estimate[0], exact, 0.01, "throughput");
    }

    [Fact]
    public void The_slowest_station_is_found_as_the_bottleneck_and_sets_the_pace()
    {
        var line = new LineDefinition(
        [
            new StationDefinition("cut", Distribution.Parse("normal(1, 0.1)").Value!),
            new StationDefinition("paint", Distribution.Parse("normal(1.5, 0.1)").Value!),
            new StationDefinition("pack", Distribution.Parse("normal(1, 0.1)").Value!),
        ], [5, 5]);

        var result = new ProductionLine(new Doppel.Simulation.Simulation(3), line).Run(20_000, warmup: 1_000);

        Assert.Equal("paint", result.Bottleneck);
        Assert.Equal(1 / 1.5, result.Throughput, 0.01);
        Assert.True(result.Stations[1].Utilization > 0.99, $"the bottleneck works {result.Stations[1].Utilization:P1} of the time");
        Assert.True(result.Stations[0].Blocked > 0.3 && result.Stations[2].Starved > 0.3, "upstream waits blocked, downstream starved");
        // Little's law on the line: WIP = throughput × lead time.
        Assert.Equal(result.MeanWip, result.Throughput * result.MeanLeadTime, 0.05);
    }

    [Fact]
    public void OEE_is_availability_times_performance_times_quality_and_equals_ideal_output_over_time()
    {
        var line = new LineDefinition(
        [
            new StationDefinition("mill", Distribution.Constant(1))
            {
                IdealCycleTime = 0.8,
                ScrapRate = 0.1,
                TimeToFailure = Distribution.Exponential(100),
                TimeToRepair = Distribution.Constant(10),
            },
        ], []);

        var result = new ProductionLine(new Doppel.Simulation.Simulation(5), line).Run(200_000, warmup: 1_000);
        var mill = result.Stations[0];

        Assert.Equal(100.0 / 110, mill.Availability, 0.01);
        Assert.Equal(0.8, mill.Performance, 0.01);
        Assert.Equal(0.9, mill.Quality, 0.01);
        Assert.Equal(0.8 * mill.Good / result.Duration, mill.Oee, 1e-2);
        Assert.Equal(result.Oee(0.8), mill.Oee, 1e-2);
    }

    [Fact]
    public void A_malformed_line_is_refused_with_every_reason()
    {
        var line = new LineDefinition(
        [
            new StationDefinition("a", Distribution.Constant(1)) { ScrapRate = 1.5 },
            new StationDefinition("a", Distribution.Constant(1)) { TimeToFailure = Distribution.Exponential(10) },
        ], [1, 2]);

        var errors = line.Validate();

        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.Contains("add up to less than 1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("1 buffers between them, not 2", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("scrap rate", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("time to repair", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("unique", StringComparison.Ordinal));
        Assert.False(Distribution.Parse("exp(-1)").IsSuccess);
        Assert.Contains("takes 2 parameter", Distribution.Parse("normal(1)").Error!.Message, StringComparison.Ordinal);
    }
}
