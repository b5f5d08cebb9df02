using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Network;

namespace Doppel.Tests.Mobility.Simulation;

/// <summary>Hand-built SUMO networks for the simulator's tests: straight roads, a signal, a priority junction, a lane drop.</summary>
internal static class Roads
{
    public const double Limit = 13.89;

    /// <summary>A deterministic car: no dawdling, speed factor 1.</summary>
    public static VehicleType Exact { get; } = new("exact") { Sigma = 0, SpeedDeviation = 0 };

    public static Lane Lane(string edge, int index, double length, double x0, double x1, double y = 0) =>
        new($"{edge}_{index}", index, Limit, length, [new Point2(x0, y - (1.6 + (3.2 * index))), new Point2(x1, y - (1.6 + (3.2 * index)))]);

    public static Edge Edge(string id, string from, string to, double length, double x0, int lanes = 1) =>
        new(id, from, to, EdgeFunction.Normal, 1, [.. Enumerable.Range(0, lanes).Select(i => Lane(id, i, length, x0, x0 + length))]);

    /// <summary>Edges A→B→C of the given lengths joined without internal lanes, each junction uncontrolled.</summary>
    public static RoadNetwork Straight(params double[] lengths)
    {
        var edges = new List<Edge>();
        var connections = new List<Connection>();
        var x = 0.0;
        for (var k = 0; k < lengths.Length; k++)
        {
            edges.Add(Edge($"e{k}", $"n{k}", $"n{k + 1}", lengths[k], x));
            x += lengths[k];
            if (k > 0)
            {
                connections.Add(new Connection($"e{k - 1}", $"e{k}", 0, 0, null, null, -1, 's', 'M'));
            }
        }
        return new RoadNetwork(edges, [], connections, []);
    }

    /// <summary>Two edges through a signal at n1 (link index 0) with the given program.</summary>
    public static RoadNetwork Signalled(SignalProgram program)
    {
        var edges = new List<Edge> { Edge("in", "n0", "n1", 200, 0), Edge("out", "n1", "n2", 200, 210) };
        edges.Add(new Edge(":n1_0", null, null, EdgeFunction.Internal, 0, [new Lane(":n1_0_0", 0, Limit, 10, [new Point2(200, -1.6), new Point2(210, -1.6)])]));
        var junction = new Junction("n1", "traffic_light", new Point2(205, 0), ["in_0"], [":n1_0_0"], [new JunctionRequest(0, "0", "0", false)]);
        var connections = new List<Connection>
        {
            new("in", "out", 0, 0, ":n1_0_0", "n1", 0, 's', 'O'),
            new(":n1_0", "out", 0, 0, null, null, -1, 's', 'M'),
        };
        return new RoadNetwork(edges, [junction], connections, [program]);
    }

    /// <summary>
    /// A priority junction n1: the major road west→east (link 0) and a minor road from the south (link 1) merging
    /// into "east"; the minor link yields to the major one.
    /// </summary>
    public static RoadNetwork PriorityMerge()
    {
        var edges = new List<Edge>
        {
            Edge("west", "w", "n1", 200, 0),
            new("south", "s", "n1", EdgeFunction.Normal, 1, [new Lane("south_0", 0, Limit, 200, [new Point2(201.6, -210), new Point2(201.6, -10)])]),
            Edge("east", "n1", "e", 200, 210),
            new(":n1_0", null, null, EdgeFunction.Internal, 0, [new Lane(":n1_0_0", 0, Limit, 10, [new Point2(200, -1.6), new Point2(210, -1.6)])]),
            new(":n1_1", null, null, EdgeFunction.Internal, 0, [new Lane(":n1_1_0", 0, 6.5, 10, [new Point2(201.6, -10), new Point2(210, -1.6)])]),
        };
        var junction = new Junction("n1", "priority", new Point2(205, 0), ["west_0", "south_0"], [":n1_0_0", ":n1_1_0"],
            [new JunctionRequest(0, "00", "10", false), new JunctionRequest(1, "01", "01", false)]);
        var connections = new List<Connection>
        {
            new("west", "east", 0, 0, ":n1_0_0", null, -1, 's', 'M'),
            new("south", "east", 0, 0, ":n1_1_0", null, -1, 'r', 'm'),
            new(":n1_0", "east", 0, 0, null, null, -1, 's', 'M'),
            new(":n1_1", "east", 0, 0, null, null, -1, 'r', 'M'),
        };
        return new RoadNetwork(edges, [junction], connections, []);
    }

    /// <summary>
    /// Two roads merging into "east" at n1 with priority on both links (no right of way between them, so only the
    /// merge keeps them apart): from "west" through two internal lanes in a row (15 m each), from "south" through one
    /// (30 m).
    /// </summary>
    public static RoadNetwork ChainedMerge()
    {
        var edges = new List<Edge>
        {
            Edge("west", "w", "n1", 200, 0),
            new("south", "s", "n1", EdgeFunction.Normal, 1, [new Lane("south_0", 0, Limit, 200, [new Point2(215, -230), new Point2(215, -30)])]),
            Edge("east", "n1", "e", 200, 230),
            new(":n1_0", null, null, EdgeFunction.Internal, 0, [new Lane(":n1_0_0", 0, Limit, 15, [new Point2(200, -1.6), new Point2(215, -1.6)])]),
            new(":n1_2", null, null, EdgeFunction.Internal, 0, [new Lane(":n1_2_0", 0, Limit, 15, [new Point2(215, -1.6), new Point2(230, -1.6)])]),
            new(":n1_1", null, null, EdgeFunction.Internal, 0, [new Lane(":n1_1_0", 0, Limit, 30, [new Point2(215, -30), new Point2(230, -1.6)])]),
        };
        var junction = new Junction("n1", "priority", new Point2(215, 0), ["west_0", "south_0"], [":n1_0_0", ":n1_1_0"],
            [new JunctionRequest(0, "00", "00", false), new JunctionRequest(1, "00", "00", false)]);
        var connections = new List<Connection>
        {
            new("west", "east", 0, 0, ":n1_0_0", null, -1, 's', 'M'),
            new(":n1_0", "east", 0, 0, ":n1_2_0", null, -1, 's', 'M'),
            new(":n1_2", "east", 0, 0, null, null, -1, 's', 'M'),
            new("south", "east", 0, 0, ":n1_1_0", null, -1, 'r', 'M'),
            new(":n1_1", "east", 0, 0, null, null, -1, 'r', 'M'),
        };
        return new RoadNetwork(edges, [junction], connections, []);
    }

    /// <summary>
    /// An unregulated junction n1 (every link has priority, no right of way between them): "west" reaches "east" over a
    /// 30 m internal lane, "south" over a 3 m one as slow as a turnaround (3.65 m/s), so a car from the south can enter
    /// the merge right ahead of one from the west that is already inside.
    /// </summary>
    public static RoadNetwork UnregulatedMerge()
    {
        var edges = new List<Edge>
        {
            Edge("west", "w", "n1", 200, 0),
            new("south", "s", "n1", EdgeFunction.Normal, 1, [new Lane("south_0", 0, Limit, 200, [new Point2(230, -203), new Point2(230, -3)])]),
            Edge("east", "n1", "e", 200, 230),
            new(":n1_0", null, null, EdgeFunction.Internal, 0, [new Lane(":n1_0_0", 0, Limit, 30, [new Point2(200, -1.6), new Point2(230, -1.6)])]),
            new(":n1_1", null, null, EdgeFunction.Internal, 0, [new Lane(":n1_1_0", 0, 3.65, 3, [new Point2(230, -3), new Point2(230, -1.6)])]),
        };
        var junction = new Junction("n1", "unregulated", new Point2(230, 0), ["west_0", "south_0"], [":n1_0_0", ":n1_1_0"], []);
        var connections = new List<Connection>
        {
            new("west", "east", 0, 0, ":n1_0_0", null, -1, 's', 'M'),
            new(":n1_0", "east", 0, 0, null, null, -1, 's', 'M'),
            new("south", "east", 0, 0, ":n1_1_0", null, -1, 'r', 'M'),
            new(":n1_1", "east", 0, 0, null, null, -1, 'r', 'M'),
        };
        return new RoadNetwork(edges, [junction], connections, []);
    }

    /// <summary>A road that splits at n1 into "straight" (east) and "right" (south), each through one 2 m internal lane, with no conflict between them.</summary>
    public static RoadNetwork Split()
    {
        var edges = new List<Edge>
        {
            Edge("in", "n0", "n1", 200, 0),
            Edge("straight", "n1", "n2", 200, 202),
            new("right", "n1", "s", EdgeFunction.Normal, 1, [new Lane("right_0", 0, Limit, 200, [new Point2(201.4, -3), new Point2(201.4, -203)])]),
            new(":n1_0", null, null, EdgeFunction.Internal, 0, [new Lane(":n1_0_0", 0, Limit, 2, [new Point2(200, -1.6), new Point2(202, -1.6)])]),
            new(":n1_1", null, null, EdgeFunction.Internal, 0, [new Lane(":n1_1_0", 0, Limit, 2, [new Point2(200, -1.6), new Point2(201.4, -3)])]),
        };
        var junction = new Junction("n1", "priority", new Point2(201, 0), ["in_0"], [":n1_0_0", ":n1_1_0"],
            [new JunctionRequest(0, "00", "00", false), new JunctionRequest(1, "00", "00", false)]);
        var connections = new List<Connection>
        {
            new("in", "straight", 0, 0, ":n1_0_0", null, -1, 's', 'M'),
            new("in", "right", 0, 0, ":n1_1_0", null, -1, 'r', 'M'),
            new(":n1_0", "straight", 0, 0, null, null, -1, 's', 'M'),
            new(":n1_1", "right", 0, 0, null, null, -1, 'r', 'M'),
        };
        return new RoadNetwork(edges, [junction], connections, []);
    }

    /// <summary>A two-lane edge that narrows to one lane: only its right lane connects on.</summary>
    public static RoadNetwork LaneDrop()
    {
        var edges = new List<Edge> { Edge("wide", "n0", "n1", 300, 0, lanes: 2), Edge("narrow", "n1", "n2", 300, 300) };
        return new RoadNetwork(edges, [], [new Connection("wide", "narrow", 0, 0, null, null, -1, 's', 'M')], []);
    }

    /// <summary>
    /// Three two-lane edges e0→e1→e2 of 100 m joined lane to lane, then a one-lane "left" edge reached only from e2's
    /// left lane: a route to "left" needs the left lane three edges ahead.
    /// </summary>
    public static RoadNetwork LaneNeededAhead()
    {
        var edges = new List<Edge>
        {
            Edge("e0", "n0", "n1", 100, 0, lanes: 2),
            Edge("e1", "n1", "n2", 100, 100, lanes: 2),
            Edge("e2", "n2", "n3", 100, 200, lanes: 2),
            Edge("left", "n3", "n4", 100, 300),
        };
        var connections = new List<Connection>
        {
            new("e0", "e1", 0, 0, null, null, -1, 's', 'M'),
            new("e0", "e1", 1, 1, null, null, -1, 's', 'M'),
            new("e1", "e2", 0, 0, null, null, -1, 's', 'M'),
            new("e1", "e2", 1, 1, null, null, -1, 's', 'M'),
            new("e2", "left", 1, 0, null, null, -1, 'l', 'M'),
        };
        return new RoadNetwork(edges, [], connections, []);
    }

    public static TrafficDemand Demand(VehicleType type, IEnumerable<VehicleDemand> vehicles) =>
        new(new Dictionary<string, VehicleType> { [type.Id] = type }, [.. vehicles.OrderBy(v => v.Depart)]);

    public static IEnumerable<VehicleDemand> Every(double period, int count, string type, string prefix, params string[] route) =>
        Enumerable.Range(0, count).Select(k => new VehicleDemand($"{prefix}{k}", type, k * period, route));
}
