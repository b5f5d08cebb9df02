using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Network;

namespace Doppel.Tests.Mobility.Import;

public sealed class SumoDemandReaderTests
{
    private static readonly RoadNetwork Grid = SumoNetworkReader.Read(SumoFiles.Path("grid4.net.xml")).Value!;

    [Fact]
    public void Reads_types_routes_vehicles_trips_and_flows_sorted_as_SUMO_loads_them()
    {
        const string Xml = """
            <routes>
                <vType id="car" accel="3.0" decel="5" sigma="0" length="4.5" minGap="2" maxSpeed="30" speedFactor="normc(1.1,0.05,0.2,2)" tau="1.2"/>
                <vType id="idm" carFollowModel="IDM" delta="4" speedDev="0"/>
                <route id="r0" edges="A0A1 A1A2"/>
                <vehicle id="late" type="car" depart="20" route="r0" departLane="best" departSpeed="max" departPos="free"/>
                <vehicle id="inline" depart="5.5">
                    <route edges="A0B0 B0C0"/>
                </vehicle>
                <trip id="t" type="idm" depart="5.5" from="A0A1" to="C1C2"/>
                <flow id="f" route="r0" begin="0" end="10" period="4"/>
                <flow id="g" from="A0B0" to="B0C0" begin="100" end="200" number="2"/>
                <flow id="h" route="r0" begin="0" end="3600" vehsPerHour="1200" number="3"/>
            </routes>
            """;

        var read = SumoDemandReader.Read(Grid, SumoFiles.Xml(Xml), "d.rou.xml");

        Assert.True(read.IsSuccess, read.Error?.Message);
        var demand = read.Value;
        var car = demand.Types["car"];
        Assert.Equal((3.0, 5.0, 0.0, 4.5, 2.0, 30.0, 1.1, 0.05, 1.2), (car.Accel, car.Decel, car.Sigma, car.Length, car.MinGap, car.MaxSpeed, car.SpeedFactor, car.SpeedDeviation, car.Tau));
        Assert.Equal(("IDM", 0.0), (demand.Types["idm"].CarFollowModel, demand.Types["idm"].SpeedDeviation));
        Assert.Equal(new VehicleType(TrafficDemand.DefaultTypeId), demand.Types[TrafficDemand.DefaultTypeId]);
        Assert.Equal(
            ["f.0", "h.0", "h.1", "f.1", "inline", "t", "h.2", "f.2", "late", "g.0", "g.1"],
            demand.Vehicles.Select(v => v.Id));
        Assert.Equal([0, 0, 3, 4, 5.5, 5.5, 6, 8, 20, 100, 150], demand.Vehicles.Select(v => v.Depart));
        var late = demand.Vehicles.Single(v => v.Id == "late");
        Assert.Equal(("car", "best", "max", "free"), (late.TypeId, late.DepartLane, late.DepartSpeed, late.DepartPos));
        Assert.Equal(["A0A1", "A1A2"], late.Route);
        Assert.Equal(["A0B0", "B0C0"], demand.Vehicles.Single(v => v.Id == "inline").Route);
        var trip = demand.Vehicles.Single(v => v.Id == "t");
        Assert.Equal("A0A1", trip.Route[0]);
        Assert.Equal("C1C2", trip.Route[^1]);
        Assert.Equal(4, trip.Route.Count); // up and across in the fewest blocks
    }

    [Fact]
    public void The_shipped_routes_read_as_the_400_vehicles_randomTrips_wrote()
    {
        var read = SumoDemandReader.Read(Grid, [SumoFiles.Path("grid4.rou.xml")]);

        Assert.True(read.IsSuccess, read.Error?.Message);
        Assert.Equal(400, read.Value.Vehicles.Count);
        Assert.Equal("v0", read.Value.Vehicles[0].Id);
        Assert.Equal(1.5, read.Value.Vehicles[1].Depart);
        Assert.All(read.Value.Vehicles, v => Assert.Equal(TrafficDemand.DefaultTypeId, v.TypeId));
    }

    [Fact]
    public void Trips_routed_by_the_router_are_mostly_the_routes_duarouter_chose()
    {
        var trips = SumoDemandReader.Read(Grid, [SumoFiles.Path("grid4.trips.xml")]);
        var routes = SumoDemandReader.Read(Grid, [SumoFiles.Path("grid4.rou.xml")]);

        Assert.True(trips.IsSuccess, trips.Error?.Message);
        var same = trips.Value.Vehicles.Zip(routes.Value!.Vehicles).Count(p => p.First.Route.SequenceEqual(p.Second.Route));

        // Where they differ, the two routes cost the same to within a few tenths of a second in a grid of equal blocks;
        // duarouter's cost of a turn is not exactly reproduced (docs/traffic-validation.md).
        Assert.InRange(same, 360, 400);
    }

    [Theory]
    [InlineData("<routes>\n<vehicle id=\"a\" depart=\"0\" route=\"nope\"/></routes>", "d.rou.xml:2: vehicle 'a' uses route 'nope', which no route before it defines.")]
    [InlineData("<routes><route id=\"r\" edges=\"A0A1 XX\"/></routes>", "d.rou.xml:1: the route names edge 'XX', which the network does not have.")]
    [InlineData("<routes><route id=\"r\" edges=\"A0A1 C0D0\"/></routes>", "d.rou.xml:1: the route goes from edge 'A0A1' to 'C0D0', but no connection joins them.")]
    [InlineData("<routes><vehicle id=\"a\" depart=\"soon\"><route edges=\"A0A1\"/></vehicle></routes>", "d.rou.xml:1: 'depart' of <vehicle> is 'soon', not a number.")]
    [InlineData("<routes><vehicle id=\"a\" type=\"bus\" depart=\"1\"><route edges=\"A0A1\"/></vehicle></routes>", "d.rou.xml:1: <vehicle> uses type 'bus', which no vType before it defines.")]
    [InlineData("<routes><trip id=\"a\" depart=\"1\" from=\"A0A1\" to=\"A1A0\"/><trip id=\"a\" depart=\"2\" from=\"A0A1\" to=\"A1A0\"/></routes>", "d.rou.xml:1: two vehicles have the id 'a'.")]
    [InlineData("<routes><flow id=\"f\" from=\"A0A1\" to=\"A1A2\" begin=\"0\" end=\"9\"/></routes>", "d.rou.xml:1: flow 'f' needs exactly one of")]
    public void Bad_demand_is_an_error_with_file_and_line(string xml, string expected)
    {
        var read = SumoDemandReader.Read(Grid, SumoFiles.Xml(xml), "d.rou.xml");

        Assert.False(read.IsSuccess);
        Assert.StartsWith(expected, read.Error.Message, StringComparison.Ordinal);
    }
}
