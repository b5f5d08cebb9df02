using Doppel.Packs.Manufacturing;
using Doppel.Simulation;
using static Doppel.Tests.Simulation.Replications;

namespace Doppel.Tests.Packs.Manufacturing;

/// <summary>Setups, rework, preventive maintenance and shared crews against results known in closed form (renewal-reward for maintenance).</summary>
public sealed class StationBehaviorTests
{
    private static LineResult RunOne(StationDefinition station, ulong seed = 1, double duration = 100_000, int? crews = null) =>
        new ProductionLine(new Doppel.Simulation.Simulation(seed), new LineDefinition([station], []) { Crews = crews }).Run(duration, warmup: 1_000);

    [Fact]
    public void A_setup_every_ten_parts_costs_exactly_its_share_of_time()
    {
        // 10 parts of 1 plus a setup of 5: 10 parts per 15 time units.
        var result = RunOne(new StationDefinition("lathe", Distribution.Constant(1)) { SetupTime = Distribution.Constant(5), SetupEvery = 10 });

        Assert.Equal(10.0 / 15, result.Throughput, 3);
        Assert.Equal(5.0 / 15, result.Stations[0].Setup, 3);
        Assert.Equal(10.0 / 15, result.Stations[0].Availability, 3);
    }

    [Fact]
    public void Rework_repeats_the_cycle_and_lowers_first_pass_quality()
    {
        // Each good part takes a geometric number of cycles, 1 / (1 − 0.2) on average.
        var result = RunOne(new StationDefinition("grind", Distribution.Constant(1)) { ReworkRate = 0.2 });

        Assert.Equal(0.8, result.Throughput, 2);
        Assert.Equal(0.8, result.Stations[0].Quality, 2);
    }

    [Fact]
    public void Scrap_and_rework_share_one_draw_per_cycle()
    {
        // Per cycle: scrap 0.1, rework 0.2, good 0.7; with cycles of 1, good parts come at 0.7 per time unit.
        var result = RunOne(new StationDefinition("grind", Distribution.Constant(1)) { ScrapRate = 0.1, ReworkRate = 0.2 });

        Assert.Equal(0.7, result.Throughput, 2);
        Assert.Equal(0.7, result.Stations[0].Quality, 2);
    }

    [Fact]
    public void Preventive_maintenance_intervals_match_renewal_reward_and_the_best_interval_is_chosen()
    {
        // Wear-out failures: Weibull(shape 3, scale 100) in working time; repair 20, maintenance 2; cycle 1, so output = working share.
        // Renewal-reward: share = E[min(X, T)] / (E[min(X, T)] + 20·P(X < T) + 2·P(X ≥ T)), with E[min(X, T)] = ∫₀ᵀ S(x) dx.
        static double Survival(double x) => Math.Exp(-Math.Pow(x / 100, 3));
        static double Exact(double interval)
        {
            var steps = 20_000;
            var h = interval / steps;
            var uptime = 0.0;
            for (var i = 0; i < steps; i++)
            {
                uptime += h * (Survival(i * h) + (4 * Survival((i + 0.5) * h)) + Survival((i + 1) * h)) / 6; // Simpson
            }
            var failed = 1 - Survival(interval);
            return uptime / (uptime + (20 * failed) + (2 * (1 - failed)));
        }
        double[] intervals = [20, 40, 60, 100];

        var estimates = intervals.Select(t => Run(20, seed: 9, seed => [RunOne(new StationDefinition("press", Distribution.Constant(1))
        {
            TimeToFailure = Distribution.Parse("weibull(3, 100)").Value,
            TimeToRepair = Distribution.Constant(20),
            MaintenanceInterval = t,
            MaintenanceTime = Distribution.Constant(2),
        }, seed, duration: 50_000).Throughput])[0]).ToList();

        for (var i = 0; i < intervals.Length; i++)
        {
            AssertCovers(estimates[i], Exact(intervals[i]), 0.01, $"output with maintenance every {intervals[i]}");
        }
        var best = intervals[estimates.IndexOf(estimates.MaxBy(e => e.Mean))];
        Assert.Equal(intervals.MaxBy(Exact), best);
    }

    [Fact]
    public void One_shared_crew_costs_output_against_a_crew_per_station()
    {
        StationDefinition Machine(string name) => new(name, Distribution.Exponential(1))
        {
            TimeToFailure = Distribution.Exponential(40),
            TimeToRepair = Distribution.Exponential(15),
        };
        var stations = new[] { Machine("a"), Machine("b"), Machine("c"), Machine("d") };
        double Output(int? crews, ulong seed) =>
            new ProductionLine(new Doppel.Simulation.Simulation(seed), new LineDefinition(stations, [5, 5, 5]) { Crews = crews }).Run(20_000, warmup: 1_000).Throughput;

        var own = Run(10, seed: 4, seed => [Output(null, seed)])[0];
        var shared = Run(10, seed: 4, seed => [Output(1, seed)])[0];

        Assert.True(shared.Mean + shared.HalfWidth < own.Mean - own.HalfWidth, $"one crew {shared.Mean:F4} ± {shared.HalfWidth:F4}, a crew each {own.Mean:F4} ± {own.HalfWidth:F4}");
    }

    [Theory]
    [InlineData(8.0)]
    [InlineData(16.0)]
    public void A_line_works_only_on_shift_and_off_shift_time_is_not_planned_time(double hours)
    {
        var calendar = hours == 8 ? new ShiftCalendar(24, [(0, 8)]) : new ShiftCalendar(24, [(0, 8), (8, 16)]);
        var line = new LineDefinition([new StationDefinition("cut", Distribution.Constant(0.7)), new StationDefinition("pack", Distribution.Constant(1))], [3]) { Shifts = calendar };

        var result = new ProductionLine(new Doppel.Simulation.Simulation(1), line).Run(24 * 1000, warmup: 24 * 10);

        // Parts cut at a shift's end wait on the machine for the next one, so output is the slower station's pace over shift time.
        Assert.Equal(hours / 24, result.Throughput, 3);
        var pack = result.Stations[1];
        Assert.Equal(1, pack.Working, 2);
        Assert.Equal(1, pack.Oee, 2);
        var cut = result.Stations[0];
        Assert.Equal(1, cut.Working + cut.Starved + cut.Blocked + cut.Down, 6);
        Assert.Equal(0.7, cut.Working, 2);
    }

    [Fact]
    public void Calendar_time_failures_strike_idle_machines_too_and_follow_renewal_theory()
    {
        // On shift 8 hours a day: a machine whose failures count calendar time fails every 50 + 5 hours (a renewal cycle of
        // failure and repair), idle or not; one whose failures count working time fails about three times less often.
        StationDefinition Press(FailureClock clock) => new("press", Distribution.Constant(1))
        {
            TimeToFailure = Distribution.Exponential(50),
            TimeToRepair = Distribution.Constant(5),
            FailureClock = clock,
        };
        LineResult RunWith(FailureClock clock) =>
            new ProductionLine(new Doppel.Simulation.Simulation(2), new LineDefinition([Press(clock), new StationDefinition("pack", Distribution.Constant(0.5))], [2])
            {
                Shifts = new ShiftCalendar(24, [(0, 8)]),
            }).Run(200_000, warmup: 1_000);

        var byAge = RunWith(FailureClock.Calendar);
        var byUse = RunWith(FailureClock.Working);

        Assert.Equal(200_000 / 55.0, byAge.Stations[0].Failures, 200_000 / 55.0 * 0.05);
        Assert.True(byUse.Stations[0].Failures < byAge.Stations[0].Failures / 2, $"by use {byUse.Stations[0].Failures}, by age {byAge.Stations[0].Failures}");
        Assert.True(byAge.Throughput > 0 && byAge.Stations[0].Down > 0);
        Assert.Contains("calendar-time failures", Assert.Single(new LineDefinition(
            [Press(FailureClock.Calendar) with { MaintenanceInterval = 10, MaintenanceTime = Distribution.Constant(1) }], []).Validate()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_machine_that_overheats_works_the_share_of_time_its_heating_and_cooling_curves_give()
    {
        // Newton's law: heating from R towards A + rise takes τ·ln((A + rise − R) / (A + rise − T)), cooling from T
        // to R takes τ·ln((T − A) / (R − A)). Never starved or blocked, the station works for the heating share.
        var limit = new ThermalLimit(Ambient: 20, Rise: 60, TimeConstant: 30, TripAt: 70, ResumeAt: 50);
        var heating = 30 * Math.Log((80.0 - 50) / (80 - 70));
        var cooling = 30 * Math.Log((70.0 - 20) / (50 - 20));
        var station = new StationDefinition("oven", Distribution.Constant(1)) { Thermal = limit };

        var result = RunOne(station);

        Assert.Equal(heating / (heating + cooling), result.Throughput, 0.001);
        Assert.Equal(cooling / (heating + cooling), result.Stations[0].Cooling, 0.001);
        Assert.Equal(result.Stations[0].Working, result.Stations[0].Availability, 6);
        // The first heating starts from ambient: τ·ln(rise / (A + rise − T)); then one trip per cycle.
        var first = 30 * Math.Log(60.0 / 10);
        Assert.InRange(result.Stations[0].Trips, Math.Floor((100_000 - first) / (heating + cooling)), Math.Floor((100_000 - first) / (heating + cooling)) + 1);
    }

    [Fact]
    public void An_overheating_station_in_a_line_never_goes_past_its_limit_and_cools_only_when_stopped()
    {
        var line = new LineDefinition(
        [
            new StationDefinition("press", Distribution.Exponential(1)),
            new StationDefinition("oven", Distribution.Parse("normal(0.9, 0.1)").Value!)
            {
                Thermal = new ThermalLimit(20, 60, 30, 70, 50),
                TimeToFailure = Distribution.Exponential(200),
                TimeToRepair = Distribution.Exponential(10),
            },
        ], [3]);
        var replica = new ProductionLine(new Doppel.Simulation.Simulation(4), line);
        replica.Start();
        var states = new HashSet<string>();
        (string State, double Temperature)? last = null;
        var cooledSteps = 0;
        for (var t = 0.25; t <= 3_000; t += 0.25)
        {
            replica.AdvanceTo(t);
            var now = replica.Snapshot();
            var temperature = now.Temperatures[1]!.Value;
            states.Add(now.StationStates[1]);
            Assert.InRange(temperature, 20, 70 + 1e-6);
            Assert.Null(now.Temperatures[0]);
            // Cooling through a whole step: the machine is off, so it is colder than a step before, and above restart.
            if (last is ("cooling", var before) && now.StationStates[1] == "cooling")
            {
                Assert.True(temperature < before && temperature >= 50 - 1e-6, $"cooling at {t}: {before} -> {temperature}");
                cooledSteps++;
            }
            last = (now.StationStates[1], temperature);
        }

        Assert.True(cooledSteps > 100, $"{cooledSteps} steps spent cooling");
        Assert.Superset(new HashSet<string> { "working", "cooling", "starved", "down" }, states);
        var errors = (line with { Shifts = new ShiftCalendar(24, [(6, 14)]) }).Validate();
        Assert.Contains(errors, e => e.Contains("thermal limit cannot be combined with shift calendars", StringComparison.Ordinal));
        Assert.Contains("resumeAt", new ThermalLimit(20, 60, 30, 50, 70).Validate(), StringComparison.Ordinal);
    }
}
