using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Simulation;

namespace Doppel.Tests.Mobility.Simulation;

public sealed class TrafficSimulationTests
{
    [Fact]
    public void A_free_car_accelerates_and_cruises_as_Krauss_Euler_update_says()
    {
        var network = Roads.Straight(1000);
        var demand = Roads.Demand(Roads.Exact, [new VehicleDemand("car", "exact", 0, ["e0"])]);

        var result = new TrafficSimulation(network, demand, new TrafficOptions()).Run();

        // Closed form for the Euler update: v_k = min(k * accel * dt, limit), x_k = x_0 + sum v_k dt, inserted at
        // t = 0 at its length (departPos base) with speed 0, arriving in the step its front passes the end minus 0.1 m.
        var trip = Assert.Single(result.Trips);
        var (arrival, timeLoss) = FreeFlow(start: 5.1, end: 1000 - 0.1, accel: 2.6, limit: Roads.Limit, dt: 1);
        Assert.Equal(arrival, trip.Arrival, 6);
        Assert.Equal(arrival, trip.Duration, 6);
        Assert.Equal(timeLoss, trip.TimeLoss, 6);
        Assert.Equal(0, trip.WaitingTime);
        Assert.Equal(0, result.Collisions);

        // The rest of SUMO's tripinfo: inserted at its length with speed 0, arrived at the lane's end cruising.
        Assert.Equal(5.1, trip.DepartPos, 6);
        Assert.Equal(0, trip.DepartSpeed);
        Assert.Equal(1000, trip.ArrivalPos, 6);
        Assert.Equal(Roads.Limit, trip.ArrivalSpeed, 6);
        Assert.Equal(1, trip.SpeedFactor);
        Assert.Equal(0, trip.RerouteCount);
    }

    [Fact]
    public void Half_second_steps_follow_the_same_closed_form()
    {
        var network = Roads.Straight(1000);
        var demand = Roads.Demand(Roads.Exact, [new VehicleDemand("car", "exact", 0, ["e0"])]);

        var result = new TrafficSimulation(network, demand, new TrafficOptions { StepLength = 0.5 }).Run();

        var (arrival, timeLoss) = FreeFlow(start: 5.1, end: 1000 - 0.1, accel: 2.6, limit: Roads.Limit, dt: 0.5);
        var trip = Assert.Single(result.Trips);
        Assert.Equal(arrival, trip.Arrival, 6);
        Assert.Equal(timeLoss, trip.TimeLoss, 6);
    }

    [Fact]
    public void A_car_stops_at_a_red_signal_within_the_lane_and_leaves_on_green()
    {
        var program = new SignalProgram("n1", "static", "0", 0, [new SignalPhase(60, "r"), new SignalPhase(60, "G")]);
        var network = Roads.Signalled(program);
        var demand = Roads.Demand(Roads.Exact, [new VehicleDemand("car", "exact", 0, ["in", "out"])]);
        var simulation = new TrafficSimulation(network, demand, new TrafficOptions());

        while (simulation.Time < 59)
        {
            simulation.Step();
        }
        var held = Assert.Single(simulation.Frame().Vehicles);
        Assert.Equal("in_0", held.Lane);
        Assert.InRange(held.Position, 195, 200);
        Assert.Equal(0, held.Speed, 9);

        var result = simulation.Run();
        var trip = Assert.Single(result.Trips);
        Assert.True(trip.Arrival > 60, $"arrived at {trip.Arrival}, before the green");
        Assert.InRange(trip.WaitingTime, 30, 60);
        Assert.Equal(1, trip.WaitingCount);
    }

    [Fact]
    public void Yellow_stops_a_car_that_can_brake_and_lets_one_through_that_cannot()
    {
        // Green until 17 s, then yellow: the first car is then 3 m before the line at full speed and cannot stop
        // with its comfortable deceleration, the second, some 100 m away, can.
        var program = new SignalProgram("n1", "static", "0", 0, [new SignalPhase(17, "G"), new SignalPhase(3, "y"), new SignalPhase(100, "r")]);
        var network = Roads.Signalled(program);
        var demand = Roads.Demand(Roads.Exact, [new VehicleDemand("first", "exact", 0, ["in", "out"]), new VehicleDemand("second", "exact", 6, ["in", "out"])]);

        var result = new TrafficSimulation(network, demand, new TrafficOptions()).Run();

        var first = result.Trips.Single(t => t.Id == "first");
        var second = result.Trips.Single(t => t.Id == "second");
        Assert.Equal(0, first.WaitingTime);
        Assert.True(second.Arrival > 120, $"second arrived at {second.Arrival}, before the red ended");
    }

    [Fact]
    public void A_minor_road_yields_to_the_major_stream_and_waits_only_when_it_comes()
    {
        var network = Roads.PriorityMerge();
        var major = Roads.Every(2.5, 40, "exact", "major", "west", "east");
        var alone = new TrafficSimulation(network, Roads.Demand(Roads.Exact, [new VehicleDemand("minor", "exact", 20, ["south", "east"])]), new TrafficOptions()).Run();
        var busy = new TrafficSimulation(network, Roads.Demand(Roads.Exact, [.. major, new VehicleDemand("minor", "exact", 20, ["south", "east"])]), new TrafficOptions()).Run();

        var minorAlone = alone.Trips.Single(t => t.Id == "minor");
        var minorBusy = busy.Trips.Single(t => t.Id == "minor");
        Assert.Equal(0, minorAlone.WaitingTime);
        Assert.True(minorBusy.WaitingTime > 0, "the minor car did not wait for the major stream");
        // The major stream is never held up by the minor car.
        Assert.All(busy.Trips.Where(t => t.Id.StartsWith("major", StringComparison.Ordinal)), t => Assert.Equal(0, t.WaitingTime));
        Assert.Equal(0, busy.Collisions);
        Assert.Equal(41, busy.Trips.Count);
    }

    [Fact]
    public void A_car_inside_an_unregulated_junction_yields_at_the_merge_to_one_about_to_enter_nearer_to_it()
    {
        // With no right of way between the two links only the merge keeps the cars apart: the one from the west, 30 m from
        // the merge inside the junction, must already follow the one from the south that will enter its 3 m internal lane
        // in this step (SUMO sees no foes at an unregulated junction, and its cars collide there).
        var network = Roads.UnregulatedMerge();
        var collided = new List<string>();
        for (var pos = 0.0; pos <= 190; pos += 0.5)
        {
            var demand = Roads.Demand(Roads.Exact,
            [
                new VehicleDemand("west", "exact", 0, ["west", "east"]) { DepartPos = pos.ToString(System.Globalization.CultureInfo.InvariantCulture), DepartSpeed = "max" },
                new VehicleDemand("south", "exact", 0, ["south", "east"]) { DepartPos = "150" },
            ]);

            var result = new TrafficSimulation(network, demand, new TrafficOptions()).Run();

            Assert.Equal(2, result.Trips.Count);
            if (result.Collisions > 0)
            {
                collided.Add(pos.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        Assert.True(collided.Count == 0, $"the cars collided with the one from the west departing at {string.Join(", ", collided)} m");
    }

    [Fact]
    public void Cars_on_a_dropped_lane_merge_and_all_arrive_without_collisions()
    {
        var network = Roads.LaneDrop();
        var demand = Roads.Demand(Roads.Exact, Roads.Every(1, 120, "exact", "v", "wide", "narrow").Select((v, k) => v with { DepartLane = (k % 2).ToString(System.Globalization.CultureInfo.InvariantCulture) }));

        var result = new TrafficSimulation(network, demand, new TrafficOptions()).Run();

        Assert.Equal(120, result.Trips.Count);
        Assert.Equal(0, result.Collisions);
        Assert.Equal(0, result.Teleports);
        Assert.All(result.Trips, t => Assert.Equal("narrow_0", t.ArrivalLane));
        Assert.Contains(result.Trips, t => t.DepartLane == "wide_1");
    }

    [Fact]
    public void A_vehicle_falling_behind_a_slower_neighbour_to_leave_its_ending_lane_brakes_no_harder_than_its_decel()
    {
        // The fast car's lane ends; the slow car alongside on the lane it needs blocks the change. LC2013 has it fall
        // behind (informLeader, bounded by patchSpeed): never an emergency stop, which its own follower could not expect.
        var slow = Roads.Exact with { Id = "slow", MaxSpeed = 5 };
        var demand = new TrafficDemand(new Dictionary<string, VehicleType> { ["exact"] = Roads.Exact, ["slow"] = slow }, []);
        var simulation = new TrafficSimulation(Roads.LaneDrop(), demand, new TrafficOptions());
        simulation.Insert(new VehicleDemand("slow", "slow", 0, ["wide", "narrow"]), "wide_0", 160, 5);
        simulation.Insert(new VehicleDemand("fast", "exact", 0, ["wide", "narrow"]), "wide_1", 145, 13);

        var speeds = new List<double>();
        var changed = false;
        while (!simulation.IsFinished && simulation.Time < 200)
        {
            simulation.Step();
            if (simulation.Frame().Vehicles.FirstOrDefault(v => v.Id == "fast") is { Id: not null } fast)
            {
                speeds.Add(fast.Speed);
                changed |= fast.Lane == "wide_0";
            }
        }

        Assert.True(changed, "the fast car never reached the lane that continues");
        Assert.All(speeds.Zip(speeds.Skip(1)), p => Assert.True(p.First - p.Second <= Roads.Exact.Decel + 1e-9, $"braked from {p.First} to {p.Second} in one step"));
        Assert.Equal(2, simulation.Trips.Count);
        Assert.Equal(0, simulation.Collisions);
    }

    [Fact]
    public void A_car_changes_to_the_lane_its_route_needs_three_edges_ahead_as_soon_as_SUMOs_best_lanes_make_it_due()
    {
        // SUMO's best lanes: on e0 the right lane serves the route for 300 m (e0, e1, e2), the left one to the end. At
        // 13 m/s LC2013's look-ahead to the left is 2 × 10 s × 13 m/s plus two lengths with gap (275 m), so the change is
        // urgent once less than that is left, 25 m into e0; a look-ahead of the next two edges only sees it on e1.
        var demand = new TrafficDemand(new Dictionary<string, VehicleType> { ["exact"] = Roads.Exact }, []);
        var simulation = new TrafficSimulation(Roads.LaneNeededAhead(), demand, new TrafficOptions());
        simulation.Insert(new VehicleDemand("car", "exact", 0, ["e0", "e1", "e2", "left"]), "e0_0", 10, 13);

        string? changedOn = null;
        while (!simulation.IsFinished && simulation.Time < 100 && changedOn is null)
        {
            simulation.Step();
            if (simulation.Frame().Vehicles.FirstOrDefault(v => v.Id == "car") is { Id: not null } car && car.Lane.EndsWith("_1", StringComparison.Ordinal))
            {
                changedOn = car.Lane;
            }
        }

        Assert.Equal("e0_1", changedOn);
        var result = simulation.Run();
        Assert.Single(result.Trips);
        Assert.Equal(new LaneChangeCounts(1, 0, 0), result.LaneChanges);
    }

    [Fact]
    public void A_follower_asked_to_make_room_for_a_merging_car_brakes_no_harder_than_its_decel()
    {
        // The slow car's lane ends and the fast one behind on the lane it needs is too close to let it in: LC2013's
        // informFollower asks the follower to open the gap, but never beyond its normal deceleration (patchSpeed).
        var slow = Roads.Exact with { Id = "slow", MaxSpeed = 5 };
        var demand = new TrafficDemand(new Dictionary<string, VehicleType> { ["exact"] = Roads.Exact, ["slow"] = slow }, []);
        var simulation = new TrafficSimulation(Roads.LaneDrop(), demand, new TrafficOptions());
        // 50 m before the lane's end: at 5 m/s the change is urgent (LC2013's look-ahead to the right is 10 s × 5 m/s
        // plus two lengths with gap, 65 m).
        simulation.Insert(new VehicleDemand("slow", "slow", 0, ["wide", "narrow"]), "wide_1", 250, 5);
        simulation.Insert(new VehicleDemand("fast", "exact", 0, ["wide", "narrow"]), "wide_0", 230, Roads.Limit);

        var speeds = new List<double>();
        while (!simulation.IsFinished && simulation.Time < 200)
        {
            simulation.Step();
            if (simulation.Frame().Vehicles.FirstOrDefault(v => v.Id == "fast") is { Id: not null } fast)
            {
                speeds.Add(fast.Speed);
            }
        }

        Assert.True(speeds.Min() < Roads.Limit - 1, "the follower never slowed down to let the merging car in");
        Assert.All(speeds.Zip(speeds.Skip(1)), p => Assert.True(p.First - p.Second <= Roads.Exact.Decel + 1e-9, $"braked from {p.First} to {p.Second} in one step"));
        Assert.Equal(2, simulation.Trips.Count);
        Assert.Equal(0, simulation.Collisions);
    }

    [Fact]
    public void A_car_behind_a_truck_turning_off_sees_the_slow_car_on_its_own_way_ahead()
    {
        // While the truck's back is still on the car's lane it is the car's leader, but it turns right: the car must also
        // see the nearly stopped car beyond the junction on its own way (SUMO adapts to the leaders on every lane ahead).
        var truck = Roads.Exact with { Id = "truck", Length = 20 };
        var crawler = Roads.Exact with { Id = "crawler", MaxSpeed = 0.1 };
        var demand = new TrafficDemand(new Dictionary<string, VehicleType> { ["exact"] = Roads.Exact, ["truck"] = truck, ["crawler"] = crawler }, []);
        var simulation = new TrafficSimulation(Roads.Split(), demand, new TrafficOptions());
        simulation.Insert(new VehicleDemand("crawler", "crawler", 0, ["straight"]), "straight_0", 5.1, 0);
        simulation.Insert(new VehicleDemand("truck", "truck", 0, ["in", "right"]), "in_0", 195, Roads.Limit);
        simulation.Insert(new VehicleDemand("car", "exact", 0, ["in", "straight"]), "in_0", 158, Roads.Limit);

        var speeds = new List<double>();
        for (var k = 0; k < 20; k++)
        {
            simulation.Step();
            speeds.Add(simulation.Frame().Vehicles.Single(v => v.Id == "car").Speed);
        }

        Assert.All(speeds.Zip(speeds.Skip(1)), p => Assert.True(p.First - p.Second <= Roads.Exact.Decel + 1e-9, $"braked from {p.First} to {p.Second} in one step"));
        Assert.Equal(0, simulation.Collisions);
    }

    [Fact]
    public void Vehicles_merging_from_two_internal_lanes_in_the_same_step_do_not_collide()
    {
        // The west stream's vehicles can be on the first of their two internal lanes while a south vehicle nears the
        // merge: the one nearer to the merge leads the other, wherever it is on its chain.
        var network = Roads.ChainedMerge();
        var demand = Roads.Demand(Roads.Exact, [.. Roads.Every(2, 60, "exact", "w", "west", "east"), .. Roads.Every(3, 40, "exact", "s", "south", "east").Select(v => v with { Depart = v.Depart + 0.5 })]);

        var result = new TrafficSimulation(network, demand, new TrafficOptions()).Run();

        Assert.Equal(0, result.Collisions);
        Assert.Equal(100, result.Trips.Count);
        Assert.Equal(0, result.Teleports);
    }

    [Fact]
    public void The_same_seed_gives_the_same_trips_and_another_seed_other_ones()
    {
        var network = Roads.LaneDrop();
        var type = new VehicleType("car");
        var demand = Roads.Demand(type, Roads.Every(2, 100, "car", "v", "wide", "narrow"));

        var a = new TrafficSimulation(network, demand, new TrafficOptions { Seed = 7 }).Run();
        var b = new TrafficSimulation(network, demand, new TrafficOptions { Seed = 7 }).Run();
        var c = new TrafficSimulation(network, demand, new TrafficOptions { Seed = 8 }).Run();

        Assert.Equal(a.Trips, b.Trips);
        Assert.NotEqual(a.Trips.Select(t => t.Duration), c.Trips.Select(t => t.Duration));
    }

    [Fact]
    public void Results_are_identical_for_one_and_two_threads()
    {
        // Enough vehicles at once that the update runs in parallel (hundreds on the road).
        var network = Roads.Straight(4000, 4000);
        var type = new VehicleType("car");
        var demand = Roads.Demand(type, Roads.Every(0.6, 1200, "car", "v", "e0", "e1"));

        var one = new TrafficSimulation(network, demand, new TrafficOptions { Threads = 1 }).Run();
        var two = new TrafficSimulation(network, demand, new TrafficOptions { Threads = 2 }) { AlwaysParallel = true }.Run();

        Assert.True(one.Summary.Max(s => s.Running) > 200);
        Assert.Equal(one.Trips, two.Trips);
        Assert.Equal(one.VehicleUpdates, two.VehicleUpdates);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Lane_changes_spread_over_threads_edge_by_edge_give_one_threads_result_on_a_signalised_grid(int threads)
    {
        // SUMO's 4 x 4 grid (two lanes a road, signals) at four times the shipped demand: hundreds of vehicles at once,
        // changing lanes at every junction approach, so each parallel phase (planning, junctions, lane changes) runs.
        var network = SumoNetworkReader.Read(Import.SumoFiles.Path("grid4.net.xml")).Value!;
        var routes = SumoDemandReader.Read(network, [Import.SumoFiles.Path("grid4.rou.xml")]).Value!;
        var demand = routes with
        {
            Vehicles = [.. routes.Vehicles.SelectMany(v => Enumerable.Range(0, 4).Select(k => v with { Id = $"{v.Id}.{k}", Depart = (v.Depart / 4) + (k * 0.25) })).OrderBy(v => v.Depart)],
        };

        var one = new TrafficSimulation(network, demand, new TrafficOptions { Threads = 1 }).Run();
        var many = new TrafficSimulation(network, demand, new TrafficOptions { Threads = threads }) { AlwaysParallel = true }.Run();

        Assert.True(one.Summary.Max(s => s.Running) > 300, $"{one.Summary.Max(s => s.Running)} running at most");
        Assert.Contains(one.Trips, t => t.DepartLane.EndsWith("_0", StringComparison.Ordinal) && t.ArrivalLane.EndsWith("_1", StringComparison.Ordinal));
        Assert.Equal(one.Trips, many.Trips);
        Assert.Equal(one.Summary, many.Summary);
        Assert.Equal((one.Collisions, one.Teleports, one.VehicleUpdates), (many.Collisions, many.Teleports, many.VehicleUpdates));
    }

    [Fact]
    public void A_closed_edge_sends_the_vehicles_around_it()
    {
        // Two parallel ways from a to d: via b (short) and via c (long).
        var edges = new List<Edge>
        {
            Roads.Edge("ab", "a", "b", 100, 0), Roads.Edge("bd", "b", "d", 100, 100),
            Roads.Edge("ac", "a", "c", 300, 0), Roads.Edge("cd", "c", "d", 300, 300),
            Roads.Edge("start", "s", "a", 100, -100), Roads.Edge("finish", "d", "f", 100, 600),
        };
        var connections = new List<Connection>
        {
            new("start", "ab", 0, 0, null, null, -1, 's', 'M'), new("start", "ac", 0, 0, null, null, -1, 'r', 'M'),
            new("ab", "bd", 0, 0, null, null, -1, 's', 'M'), new("ac", "cd", 0, 0, null, null, -1, 's', 'M'),
            new("bd", "finish", 0, 0, null, null, -1, 's', 'M'), new("cd", "finish", 0, 0, null, null, -1, 'l', 'M'),
        };
        var network = new RoadNetwork(edges, [], connections, []);
        var demand = Roads.Demand(Roads.Exact, [new VehicleDemand("car", "exact", 0, ["start", "ab", "bd", "finish"])]);
        var simulation = new TrafficSimulation(network, demand, new TrafficOptions());
        simulation.Step();

        simulation.CloseEdge("bd");
        var result = simulation.Run();

        var trip = Assert.Single(result.Trips);
        Assert.True(trip.RouteLength > 750, $"route length {trip.RouteLength}: it did not take the long way");
        Assert.Equal(1, trip.RerouteCount);
        Assert.Throws<ArgumentException>(() => simulation.CloseEdge("nowhere"));
    }

    [Fact]
    public void A_vehicle_inserted_on_the_road_drives_on_from_there()
    {
        var network = Roads.Straight(500);
        var simulation = new TrafficSimulation(network, Roads.Demand(Roads.Exact, []), new TrafficOptions { End = 100 });

        simulation.Insert(new VehicleDemand("live", "exact", 0, ["e0"]), "e0_0", 400, 10);
        var frame = simulation.Frame();

        var view = Assert.Single(frame.Vehicles);
        Assert.Equal(400, view.Position);
        Assert.Equal(400, view.X, 6);
        Assert.Equal(90, view.Angle, 6);
        var result = simulation.Run();
        var trip = Assert.Single(result.Trips);
        Assert.InRange(trip.Duration, 6, 9);
        Assert.Equal(400, trip.DepartPos);
        Assert.Equal(10, trip.DepartSpeed);
    }

    [Fact]
    public void Unknown_edges_types_and_bad_options_are_refused_with_a_message()
    {
        var network = Roads.Straight(100);
        var unknownEdge = TrafficSimulation.Create(network, Roads.Demand(Roads.Exact, [new VehicleDemand("x", "exact", 0, ["nope"])]), new TrafficOptions());
        var unknownType = TrafficSimulation.Create(network, Roads.Demand(Roads.Exact, [new VehicleDemand("x", "truck", 0, ["e0"])]), new TrafficOptions());
        var badStep = TrafficSimulation.Create(network, Roads.Demand(Roads.Exact, []), new TrafficOptions { StepLength = 0 });

        Assert.Contains("'nope'", unknownEdge.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("'truck'", unknownType.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("step length", badStep.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detectors_count_the_vehicles_that_pass_per_period()
    {
        var network = Roads.Straight(1000);
        var demand = Roads.Demand(Roads.Exact, Roads.Every(10, 12, "exact", "v", "e0"));
        var loop = new InductionLoop("d", "e0_0", 500, 60);

        var result = new TrafficSimulation(network, demand, new TrafficOptions { Detectors = [loop], End = 300 }).Run();

        Assert.Equal(12, result.Detectors.Sum(d => d.Vehicles));
        var first = result.Detectors[0];
        Assert.Equal(0, first.Begin);
        Assert.Equal(60, first.End);
        Assert.Equal(first.Vehicles * 60, first.Flow);
        Assert.All(result.Detectors.Where(d => d.Vehicles > 0), d => Assert.Equal(Roads.Limit, d.MeanSpeed, 6));
    }

    private static (double Arrival, double TimeLoss) FreeFlow(double start, double end, double accel, double limit, double dt)
    {
        var x = start;
        var v = 0.0;
        var t = 0.0;
        var loss = 0.0;
        while (true)
        {
            t += dt;
            v = Math.Min(v + (accel * dt), limit);
            x += v * dt;
            loss += dt * (limit - v) / limit;
            if (x > end)
            {
                return (t, loss);
            }
        }
    }
}
