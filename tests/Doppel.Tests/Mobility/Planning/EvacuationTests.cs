using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Planning;

namespace Doppel.Tests.Mobility.Planning;

/// <summary>
/// Evacuation demand on a hand-built street: evacuees start on the district's roads, leave within the window, take the
/// fastest way to the nearest open destination around the closures, the same for the same seed; clearance statistics.
/// </summary>
public sealed class EvacuationTests
{
    // A street west–east through junctions W, A, B, E, both ways, 100 m between junctions; the district is A.
    private static readonly RoadNetwork Street = BuildStreet();

    [Fact]
    public void Evacuees_leave_the_district_for_the_nearest_open_destination_within_the_window()
    {
        var order = new EvacuationOrder(["A"], ["WA", "BE"]) { Vehicles = 50, Window = 120, Begin = 30 };

        var demand = Evacuation.Demand(Street, order, seed: 7).Value!;

        Assert.Equal(50, demand.Demand.Vehicles.Count);
        Assert.Equal(["AB", "AW"], demand.Origins.Order());
        Assert.All(demand.Demand.Vehicles, v =>
        {
            Assert.InRange(v.Depart, 30, 150);
            // From AW the nearest is back from the dead end W; from AB the way on to BE (no turning back where it can go on).
            Assert.Equal(v.Route[0] == "AW" ? ["AW", "WA"] : ["AB", "BE"], v.Route);
        });
        Assert.Equal(demand.Demand.Vehicles.Select(v => v.Depart).Order(), demand.Demand.Vehicles.Select(v => v.Depart));
        Assert.Equal(demand.Demand.Vehicles, Evacuation.Demand(Street, order, seed: 7).Value!.Demand.Vehicles, (a, b) => a.Id == b.Id && a.Depart == b.Depart && a.Route.SequenceEqual(b.Route));
    }

    [Fact]
    public void A_closed_road_is_neither_a_start_nor_a_way_and_a_district_cut_off_is_refused()
    {
        var around = Evacuation.Demand(Street, new EvacuationOrder(["A"], ["BE"]) { Closed = ["AW"] }, 1).Value!;
        var cutOff = Evacuation.Demand(Street, new EvacuationOrder(["A"], ["BE"]) { Closed = ["AB", "AW"] }, 1);

        var turning = Evacuation.Demand(Street, new EvacuationOrder(["A"], ["BE"]), 1).Value!;

        Assert.Equal(["AB"], around.Origins);
        Assert.All(around.Demand.Vehicles, v => Assert.DoesNotContain("AW", v.Route));
        Assert.Contains(turning.Demand.Vehicles, v => v.Route.SequenceEqual(["AW", "WA", "AB", "BE"]));
        Assert.Contains("No open road starts in the district", cutOff.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clearance_is_the_last_evacuee_out_and_undefined_while_one_is_missing()
    {
        var order = new EvacuationOrder(["A"], ["BE"]) { Begin = 100 };

        var all = Evacuation.Measure([("evac0", 150), ("evac1", 400), ("other", 900), ("evac2", 250)], order, 3);
        var missing = Evacuation.Measure([("evac0", 150), ("evac1", 400)], order, 3);

        Assert.Equal(300, all.Time);
        Assert.Equal([50, 150, 300], all.ArrivalTimes);
        Assert.Equal(150, all.Quantile(0.5));
        Assert.True(double.IsNaN(missing.Time));
        Assert.Equal(2.0 / 3, missing.Evacuated, 9);
        Assert.True(double.IsNaN(missing.Quantile(1)));
    }

    private static RoadNetwork BuildStreet()
    {
        var x = new Dictionary<string, double> { ["W"] = 0, ["A"] = 100, ["B"] = 200, ["E"] = 300 };
        var pairs = new[] { ("W", "A"), ("A", "B"), ("B", "E") };
        var edges = new List<Edge>();
        foreach (var (from, to) in pairs.Concat(pairs.Select(p => (p.Item2, p.Item1))))
        {
            var id = from + to;
            edges.Add(new Edge(id, from, to, EdgeFunction.Normal, 1, [new Lane(id + "_0", 0, 13.89, 100, [new(x[from], 0), new(x[to], 0)])]));
        }
        var junctions = x.Select(j => new Junction(j.Key, "priority", new(j.Value, 0), [], [], [])).ToList();
        var connections = new List<Connection>();
        foreach (var into in edges)
        {
            foreach (var next in edges.Where(e => e.From == into.To))
            {
                connections.Add(new Connection(into.Id, next.Id, 0, 0, null, null, -1, next.To == into.From ? 't' : 's', 'M'));
            }
        }
        return new RoadNetwork(edges, junctions, connections, []);
    }
}
