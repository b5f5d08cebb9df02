using Doppel.Packs.Mobility.Network;

namespace Doppel.Tests.Mobility.Import;

public sealed class SumoNetworkReaderTests
{
    private const string TwoEdges = """
        <net version="1.9">
            <location netOffset="10.00,-5.00" convBoundary="0,0,200,0"/>
            <edge id=":B_0" function="internal">
                <lane id=":B_0_0" index="0" speed="13.89" length="4.00" shape="98.4,-1.6 102.4,-1.6"/>
            </edge>
            <edge id="AB" from="A" to="B" priority="2" name="Main St">
                <lane id="AB_0" index="0" speed="13.89" length="98.40" shape="0.00,-1.60 98.40,-1.60"/>
                <lane id="AB_1" index="1" speed="13.89" length="98.40" disallow="truck bus" shape="0.00,1.60 98.40,1.60"/>
            </edge>
            <edge id="BC" from="B" to="C" priority="2">
                <lane id="BC_0" index="0" speed="8.33" length="97.60" allow="bicycle" shape="102.40,-1.60 200.00,-1.60"/>
            </edge>
            <tlLogic id="B" type="static" programID="0" offset="5">
                <phase duration="30" state="G"/>
                <phase duration="3"  state="y" name="amber"/>
                <phase duration="27" state="r" minDur="5" maxDur="50"/>
            </tlLogic>
            <junction id="A" type="dead_end" x="0.00" y="0.00" incLanes="" intLanes="" shape="0,0 0,-3.2"/>
            <junction id="B" type="traffic_light" x="100.00" y="0.00" incLanes="AB_0 AB_1" intLanes=":B_0_0">
                <request index="0" response="0" foes="0" cont="0"/>
            </junction>
            <junction id="C" type="dead_end" x="200.00" y="0.00" incLanes="BC_0" intLanes=""/>
            <connection from="AB" to="BC" fromLane="0" toLane="0" via=":B_0_0" tl="B" linkIndex="0" dir="s" state="O"/>
            <connection from=":B_0" to="BC" fromLane="0" toLane="0" dir="s" state="M"/>
        </net>
        """;

    [Fact]
    public void Reads_edges_lanes_junctions_connections_and_signal_programs()
    {
        var read = SumoNetworkReader.Read(SumoFiles.Xml(TwoEdges), "two.net.xml");

        Assert.True(read.IsSuccess, read.Error?.Message);
        var network = read.Value;
        Assert.Equal(new Point2(10, -5), network.NetOffset);
        Assert.Equal([":B_0", "AB", "BC"], network.Edges.Select(e => e.Id));
        var main = network.FindEdge("AB")!;
        Assert.Equal(("A", "B", EdgeFunction.Normal, 2, "Main St"), (main.From, main.To, main.Function, main.Priority, main.Name));
        Assert.Equal(["truck", "bus"], main.Lanes[1].Disallow);
        Assert.Equal(["bicycle"], network.FindLane("BC_0")!.Allow);
        Assert.Equal(8.33, network.FindLane("BC_0")!.Speed);
        Assert.Equal(97.6, network.FindLane("BC_0")!.Length);
        Assert.Equal([new Point2(0, -1.6), new Point2(98.4, -1.6)], network.FindLane("AB_0")!.Shape);
        var internalEdge = network.FindEdge(":B_0")!;
        Assert.True(internalEdge.IsInternal);
        Assert.Null(internalEdge.From);
        var junction = network.FindJunction("B")!;
        Assert.Equal(("traffic_light", new Point2(100, 0)), (junction.Type, junction.Position));
        Assert.Equal(["AB_0", "AB_1"], junction.IncomingLanes);
        Assert.Equal([":B_0_0"], junction.InternalLanes);
        Assert.Equal(new JunctionRequest(0, "0", "0", false), Assert.Single(junction.Requests));
        Assert.Equal(2, network.FindJunction("A")!.Shape.Count);
        Assert.Equal(new Connection("AB", "BC", 0, 0, ":B_0_0", "B", 0, 's', 'O'), network.Connections[0]);
        Assert.Equal(new Connection(":B_0", "BC", 0, 0, null, null, -1, 's', 'M'), network.Connections[1]);
        var program = Assert.Single(network.SignalPrograms);
        Assert.Equal(("B", "static", "0", 5.0, 60.0), (program.Id, program.Type, program.ProgramId, program.Offset, program.CycleTime));
        Assert.Equal("amber", program.Phases[1].Name);
        Assert.Equal((5.0, 50.0), (program.Phases[2].MinDuration!.Value, program.Phases[2].MaxDuration!.Value));
    }

    [Fact]
    public void Reads_a_network_netgenerate_wrote_with_every_element_it_holds()
    {
        var path = SumoFiles.Path("grid4.net.xml");
        var text = File.ReadAllText(path);

        var read = SumoNetworkReader.Read(path);

        Assert.True(read.IsSuccess, read.Error?.Message);
        var network = read.Value;
        Assert.Equal(Count(text, "<edge "), network.Edges.Count);
        Assert.Equal(Count(text, "<lane "), network.Edges.Sum(e => e.Lanes.Count));
        Assert.Equal(Count(text, "<junction "), network.Junctions.Count);
        Assert.Equal(Count(text, "<connection "), network.Connections.Count);
        Assert.Equal(Count(text, "<tlLogic "), network.SignalPrograms.Count);
        Assert.Equal(Count(text, "<request "), network.Junctions.Sum(j => j.Requests.Count));
        Assert.Equal(Count(text, "type=\"internal\""), network.Junctions.Count(j => j.Type == "internal"));
        Assert.Equal(48, network.Edges.Count(e => !e.IsInternal)); // a 4 x 4 grid: 24 streets, both ways
        Assert.All(network.Connections.Where(c => c.TrafficLight is not null), c =>
        {
            var program = network.SignalPrograms.First(p => p.Id == c.TrafficLight);
            Assert.InRange(c.LinkIndex, 0, program.Phases[0].State.Length - 1);
        });
    }

    [Theory]
    [InlineData("<net><edge id=\"a\" from=\"A\" to=\"B\"><lane id=\"a_0\" index=\"0\" speed=\"x\" length=\"1\"/></edge></net>", "bad.net.xml:1: 'speed' of <lane> is 'x', not a number.")]
    [InlineData("<net>\n<edge id=\"a\" from=\"A\" to=\"B\">\n</edge></net>", "bad.net.xml:2: edge 'a' has no lane.")]
    [InlineData("<routes/>", "bad.net.xml:1: the root element is <routes>, not <net>")]
    [InlineData("<net><edge id=\"a\"", "bad.net.xml:1: malformed XML")]
    public void A_malformed_network_is_an_error_with_file_and_line(string xml, string expected)
    {
        var read = SumoNetworkReader.Read(SumoFiles.Xml(xml), "bad.net.xml");

        Assert.False(read.IsSuccess);
        Assert.StartsWith(expected, read.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_to_a_missing_lane_is_an_error_at_its_line()
    {
        var xml = TwoEdges.Replace("to=\"BC\" fromLane=\"0\" toLane=\"0\" via", "to=\"BC\" fromLane=\"0\" toLane=\"3\" via", StringComparison.Ordinal);

        var read = SumoNetworkReader.Read(SumoFiles.Xml(xml), "two.net.xml");

        Assert.False(read.IsSuccess);
        Assert.Equal("InvalidArgument", read.Error.Code);
        Assert.Equal("two.net.xml:23: connection from lane 0 of 'AB' (2 lanes) to lane 3 of 'BC' (1 lanes): a missing lane.", read.Error.Message);
    }

    [Fact]
    public void A_missing_file_is_an_error_not_an_exception()
    {
        var read = SumoNetworkReader.Read("/nonexistent/city.net.xml");

        Assert.False(read.IsSuccess);
        Assert.StartsWith("/nonexistent/city.net.xml: cannot be read", read.Error.Message, StringComparison.Ordinal);
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
