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

    [Fact]
    public void A_line_advanced_step_by_step_is_the_same_run_and_its_snapshots_are_states_the_line_can_be_in()
    {
        // The sample factory's line: failures with a shared crew, scrap, a slower station in the middle.
        var line = new LineDefinition(
        [
            new StationDefinition("press", Distribution.Parse("normal(1.0, 0.1)").Value!) { TimeToFailure = Distribution.Exponential(240), TimeToRepair = Distribution.Exponential(12) },
            new StationDefinition("weld", Distribution.Parse("normal(1.1, 0.2)").Value!) { TimeToFailure = Distribution.Exponential(180), TimeToRepair = Distribution.Exponential(15), ScrapRate = 0.01 },
            new StationDefinition("paint", Distribution.Parse("normal(1.2, 0.1)").Value!),
            new StationDefinition("pack", Distribution.Constant(0.9)) { TimeToFailure = Distribution.Exponential(600), TimeToRepair = Distribution.Constant(20) },
        ], [5, 5, 5])
        { Crews = 1 };
        var stepped = new ProductionLine(new Doppel.Simulation.Simulation(21), line);
        stepped.Start();
        var seen = new HashSet<string>();

        for (var t = 0.5; t <= 5_000; t += 0.5)
        {
            stepped.AdvanceTo(t);
            var now = stepped.Snapshot();
            for (var i = 0; i < line.Stations.Count; i++)
            {
                seen.Add(now.StationStates[i]);
                // Blocking after service: a blocked station holds a part because the buffer after it is full;
                // a starved one waits on an empty buffer before it.
                if (now.StationStates[i] == "blocked")
                {
                    Assert.Equal(line.Buffers[i], now.BufferLevels[i]);
                }
                if (now.StationStates[i] == "starved")
                {
                    Assert.Equal(0, now.BufferLevels[i - 1]);
                }
            }
            Assert.InRange(now.CrewsBusy, 0, 1);
            Assert.All(now.BufferLevels.Zip(line.Buffers), b => Assert.InRange(b.First, 0, b.Second));
        }

        // Stepping changes nothing: the same seed run in one go ships the same parts.
        var whole = new ProductionLine(new Doppel.Simulation.Simulation(21), line).Run(5_000);
        Assert.Equal(whole.Completed, stepped.Snapshot().Shipped);
        // A cancellable run goes in parts, to the same result; a cancelled one stops.
        using var cancel = new CancellationTokenSource();
        Assert.Equal(whole, new ProductionLine(new Doppel.Simulation.Simulation(21), line).Run(5_000, ct: cancel.Token), new LineResultComparer());
        cancel.Cancel();
        Assert.Throws<OperationCanceledException>(() => new ProductionLine(new Doppel.Simulation.Simulation(21), line).Run(5_000, ct: cancel.Token));
        Assert.Superset(new HashSet<string> { "working", "starved", "blocked", "down" }, seen);
        Assert.Throws<InvalidOperationException>(() => stepped.Start());
    }

    [Fact]
    public void A_fork_starts_with_the_parts_its_stations_hold()
    {
        // Cutter 1 per part, welder 2 per part (the bottleneck), one buffer place; the welder is down (repair 3) with a part.
        var line = new LineDefinition(
        [
            new StationDefinition("cut", Distribution.Constant(1)),
            new StationDefinition("weld", Distribution.Constant(2)) { TimeToFailure = Distribution.Constant(1e9), TimeToRepair = Distribution.Constant(3) },
        ], [1]);
        var state = new LineState([1], [false, true]) { StationStates = ["blocked", "down"] };
        var replica = new ProductionLine(new Doppel.Simulation.Simulation(1), line, state);
        replica.Start();

        // The cutter holds a finished part for the full buffer; the welder is repaired, then finishes its own part at 5,
        // then the buffer's at 7, then the cutter's at 9: three parts were in the line.
        Assert.Equal(3, state.WorkInProgress);
        replica.AdvanceTo(0.5);
        Assert.Equal(["blocked", "down"], replica.Snapshot().StationStates);
        Assert.Equal([1], replica.Snapshot().BufferLevels);
        replica.AdvanceTo(5.5);
        Assert.Equal(1, replica.Snapshot().Shipped);
        replica.AdvanceTo(9.5);
        Assert.Equal(3, replica.Snapshot().Shipped);
        // Without the held parts the cutter has nothing finished to hold: it starts a new part at once.
        var levelsOnly = new ProductionLine(new Doppel.Simulation.Simulation(1), line, state with { StationStates = null });
        levelsOnly.Start();
        levelsOnly.AdvanceTo(0.5);
        Assert.Equal(["working", "down"], levelsOnly.Snapshot().StationStates);
        Assert.Equal(1, (state with { StationStates = null }).WorkInProgress);
    }

    /// <summary>Results equal field by field, stations included (records compare lists by reference).</summary>
    private sealed class LineResultComparer : IEqualityComparer<LineResult>
    {
        public bool Equals(LineResult? x, LineResult? y) =>
            x is not null && y is not null && x with { Stations = [] } == y with { Stations = [] } && x.Stations.SequenceEqual(y.Stations);

        public int GetHashCode(LineResult obj) => obj.Completed.GetHashCode();
    }
}
