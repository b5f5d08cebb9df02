using System.Globalization;
using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Planning.Internal;
using Doppel.Simulation;

namespace Doppel.Packs.Mobility.Planning;

/// <summary>
/// Evacuation demand: turns an <see cref="EvacuationOrder"/> into vehicles with routes (the same file for Doppel and
/// for SUMO, so both clear the same district with the same people), and the clearance statistics of a run.
/// </summary>
public static class Evacuation
{
    /// <summary>The junctions whose position lies in the rectangle (network metres), internal junctions left out.</summary>
    public static IReadOnlyList<string> JunctionsIn(RoadNetwork network, double xMin, double yMin, double xMax, double yMax)
    {
        ArgumentNullException.ThrowIfNull(network);
        return [.. network.Junctions.Where(j => j.Type != "internal" && j.Position.X >= xMin && j.Position.X <= xMax && j.Position.Y >= yMin && j.Position.Y <= yMax).Select(j => j.Id)];
    }

    /// <summary>
    /// The evacuees of <paramref name="order"/>, drawn with <paramref name="seed"/>: where each starts, when it leaves and
    /// its route to the nearest safe destination. Fails on an unknown junction or edge, or when no safe destination can
    /// be reached from the district.
    /// </summary>
    public static Result<EvacuationDemand> Demand(RoadNetwork network, EvacuationOrder order, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(order);
        var graph = new RoadGraph(network);
        var check = Check(network, graph, order);
        if (check is not null)
        {
            return Result<EvacuationDemand>.Fail("InvalidArgument", check);
        }
        var district = order.District.ToHashSet(StringComparer.Ordinal);
        var destinations = order.Destinations.ToHashSet(StringComparer.Ordinal);
        var closed = order.Closed.ToHashSet(StringComparer.Ordinal);
        var origins = new List<(Edge Edge, List<string> Route)>();
        var unreachable = new List<string>();
        foreach (var edge in graph.Edges.Where(e => e.From is { } from && district.Contains(from) && !closed.Contains(e.Id) && !destinations.Contains(e.Id)))
        {
            if (graph.Route(edge.Id, destinations, closed) is { } route)
            {
                origins.Add((edge, route));
            }
            else
            {
                unreachable.Add(edge.Id);
            }
        }
        if (origins.Count == 0)
        {
            return Result<EvacuationDemand>.Fail("InvalidArgument", unreachable.Count == 0
                ? "No open road starts in the district: there is no one to evacuate."
                : $"No safe destination can be reached from the district's {unreachable.Count} roads with these closures.");
        }
        var random = new SimRandom(seed);
        var weights = origins.Select(o => o.Edge.Lanes.Sum(l => l.Length)).ToArray();
        var total = weights.Sum();
        var drawn = new List<(double Depart, int Origin)>(order.Vehicles);
        for (var i = 0; i < order.Vehicles; i++)
        {
            var u = random.NextDouble() * total;
            var k = 0;
            while (k < weights.Length - 1 && u >= weights[k])
            {
                u -= weights[k];
                k++;
            }
            drawn.Add((Math.Round(order.Begin + (random.NextDouble() * order.Window), 2), k));
        }
        var vehicles = drawn.OrderBy(d => d.Depart).Select((d, i) => new VehicleDemand(
            string.Create(CultureInfo.InvariantCulture, $"{order.IdPrefix}{i}"), TrafficDemand.DefaultTypeId, d.Depart, origins[d.Origin].Route)).ToList();
        var types = new Dictionary<string, VehicleType> { [TrafficDemand.DefaultTypeId] = new(TrafficDemand.DefaultTypeId) };
        return Result<EvacuationDemand>.Ok(new EvacuationDemand(new TrafficDemand(types, vehicles), [.. origins.Select(o => o.Edge.Id)], unreachable));
    }

    /// <summary>What is wrong with the order on this network, or null.</summary>
    internal static string? Check(RoadNetwork network, RoadGraph graph, EvacuationOrder order)
    {
        if (order.District.Count == 0)
        {
            return "The district has no junction: name its junctions or give an area that holds some.";
        }
        if (order.District.FirstOrDefault(j => network.FindJunction(j) is null) is { } junction)
        {
            return $"The network has no junction '{junction}'.";
        }
        if (order.Destinations.Count == 0)
        {
            return "Give at least one safe destination (an edge id).";
        }
        if (order.Destinations.Concat(order.Closed).FirstOrDefault(e => !graph.Contains(e)) is { } edge)
        {
            return $"The network has no road '{edge}' (a normal edge that cars drive).";
        }
        if (order.Destinations.FirstOrDefault(order.Closed.Contains) is { } both)
        {
            return $"Road '{both}' is both a safe destination and closed.";
        }
        if (order.Vehicles is < 1 or > 1_000_000)
        {
            return string.Create(CultureInfo.InvariantCulture, $"The vehicles to evacuate must be 1 to 1000000, not {order.Vehicles}.");
        }
        if (!(order.Window >= 0 && double.IsFinite(order.Window)) || !(order.Begin >= 0 && double.IsFinite(order.Begin)))
        {
            return "The order's begin and departure window must be 0 s or more.";
        }
        return null;
    }

    /// <summary>
    /// Clearance of one run: the time from the order to the last evacuee's arrival (NaN when some never arrived), and the
    /// evacuees' times from the order to their arrival, sorted.
    /// </summary>
    public static Clearance Measure(IEnumerable<(string Id, double Arrival)> arrivals, EvacuationOrder order, int evacuees)
    {
        ArgumentNullException.ThrowIfNull(arrivals);
        ArgumentNullException.ThrowIfNull(order);
        var times = arrivals.Where(a => a.Id.StartsWith(order.IdPrefix, StringComparison.Ordinal) && a.Arrival >= 0)
            .Select(a => a.Arrival - order.Begin).Order().ToArray();
        return new Clearance(times.Length == evacuees && times.Length > 0 ? times[^1] : double.NaN, times, evacuees);
    }
}
