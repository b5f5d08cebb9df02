using System.Globalization;
using Doppel.Packs.Mobility.Demand;

namespace Doppel.Packs.Mobility.Simulation;

/// <summary>Loading, inserting (SUMO's departLane/departPos/departSpeed defaults and its insertion checks) and rerouting vehicles.</summary>
public sealed partial class TrafficSimulation
{
    private const double PositionEps = 0.1;

    private int AddVehicle(VehicleDemand v)
    {
        if (v.Route.Count == 0)
        {
            throw new ArgumentException($"Vehicle '{v.Id}' has an empty route.");
        }
        var route = new int[v.Route.Count];
        for (var k = 0; k < route.Length; k++)
        {
            if (!net.EdgeIndex.TryGetValue(v.Route[k], out var e) || net.EdgeInternal[e])
            {
                throw new ArgumentException($"Vehicle '{v.Id}': its route names '{v.Route[k]}', which is no normal edge of the network.");
            }
            route[k] = e;
        }
        var type = types.GetValueOrDefault(v.TypeId) ?? (v.TypeId == TrafficDemand.DefaultTypeId ? new VehicleType(TrafficDemand.DefaultTypeId) : null)
            ?? throw new ArgumentException($"Vehicle '{v.Id}': unknown vehicle type '{v.TypeId}'.");
        var i = fleet.Add();
        fleet.Id[i] = v.Id;
        fleet.TypeId[i] = type.Id;
        fleet.Route[i] = route;
        fleet.DesiredDepart[i] = Math.Max(v.Depart, Time);
        fleet.DepartLane[i] = v.DepartLane;
        fleet.DepartSpeed[i] = v.DepartSpeed;
        fleet.DepartPos[i] = v.DepartPos;
        fleet.Length[i] = type.Length;
        fleet.MinGap[i] = type.MinGap;
        fleet.Accel[i] = type.Accel;
        fleet.Decel[i] = type.Decel;
        fleet.EmergencyDecel[i] = Math.Max(type.EmergencyDecel, type.Decel);
        fleet.Sigma[i] = type.Sigma;
        fleet.Tau[i] = type.Tau;
        fleet.MaxSpeed[i] = type.MaxSpeed;
        fleet.Idm[i] = string.Equals(type.CarFollowModel, "IDM", StringComparison.OrdinalIgnoreCase);
        fleet.Delta[i] = type.Delta;
        // Each vehicle's stream is derived from the seed and its load index, so no draw depends on the order of others.
        var seed = options.Seed ^ ((ulong)i * 0xD1B54A32D192ED03UL);
        fleet.Rng[i] = Doppel.Simulation.SimRandom.SplitMix64(ref seed);
        fleet.SpeedFactor[i] = DrawSpeedFactor(i, type);
        fleet.Status[i] = 0;
        fleet.Lane[i] = -1;
        return i;
    }

    // SUMO's normc(mean, dev, 0.2, 2): redraw until inside the bounds (it gives up after 10 tries and takes the mean... within bounds).
    private double DrawSpeedFactor(int i, VehicleType type)
    {
        if (type.SpeedDeviation <= 0)
        {
            return type.SpeedFactor;
        }
        for (var tries = 0; tries < 10; tries++)
        {
            var u1 = 1 - fleet.NextRandom(i);
            var u2 = fleet.NextRandom(i);
            var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            var f = type.SpeedFactor * (1 + (type.SpeedDeviation * normal));
            if (f >= 0.2 && f <= 2)
            {
                return f;
            }
        }
        return type.SpeedFactor;
    }

    private void Insert(double t)
    {
        blockedInsertEdges.Clear();
        var k = 0;
        while (k < pending.Count)
        {
            var i = pending[k];
            if (fleet.DesiredDepart[i] > t + 1e-9)
            {
                break;
            }
            var edge = fleet.Route[i][0];
            if (!blockedInsertEdges.Contains(edge) && TryInsert(i, t))
            {
                pending.RemoveAt(k);
                continue;
            }
            // SUMO tries no later vehicle on an edge whose first vehicle could not be inserted in this step.
            blockedInsertEdges.Add(edge);
            k++;
        }
    }

    private bool TryInsert(int i, double t)
    {
        var edge = fleet.Route[i][0];
        var lanes = net.EdgeLanes[edge];
        var lane = ChooseDepartLane(i, lanes);
        if (lane < 0)
        {
            return false;
        }
        var len = fleet.Length[i];
        var pos = fleet.DepartPos[i] switch
        {
            null or "base" => Math.Min(len + PositionEps, net.LaneLength[lane]),
            "last" or "free" or "random" or "random_free" => FreePosition(lane, i),
            var s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) => Math.Clamp(p < 0 ? net.LaneLength[lane] + p : p, Math.Min(len, net.LaneLength[lane]), net.LaneLength[lane]),
            _ => Math.Min(len + PositionEps, net.LaneLength[lane]),
        };
        var laneMax = Math.Min(fleet.MaxSpeed[i], net.LaneSpeed[lane] * fleet.SpeedFactor[i]);
        var speed = fleet.DepartSpeed[i] switch
        {
            null or "0" => 0,
            "max" or "desired" or "speedLimit" => laneMax,
            var s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => Math.Min(v, laneMax),
            _ => 0,
        };
        if (!InsertionSafe(i, lane, pos, speed))
        {
            return false;
        }
        Place(i, lane, pos, speed, t);
        return true;
    }

    private int ChooseDepartLane(int i, int[] lanes)
    {
        var spec = fleet.DepartLane[i];
        switch (spec)
        {
            case null or "first":
                foreach (var l in lanes)
                {
                    if (net.LaneAllowsPassenger[l])
                    {
                        return l;
                    }
                }
                return lanes[0];
            case "best":
                {
                    var best = -1;
                    var bestScore = -1;
                    foreach (var l in lanes)
                    {
                        var score = LaneScore(i, l, 0);
                        if (score > bestScore || (score == bestScore && best >= 0 && laneVehicles[l].Count < laneVehicles[best].Count))
                        {
                            best = l;
                            bestScore = score;
                        }
                    }
                    return best;
                }
            case "random" or "allowed":
                return lanes[(int)(fleet.NextRandom(i) * lanes.Length)];
            case "free":
                {
                    var best = lanes[0];
                    foreach (var l in lanes)
                    {
                        if (laneVehicles[l].Count < laneVehicles[best].Count)
                        {
                            best = l;
                        }
                    }
                    return best;
                }
            default:
                return int.TryParse(spec, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < lanes.Length ? lanes[index] : lanes[0];
        }
    }

    private double FreePosition(int lane, int i)
    {
        var list = laneVehicles[lane];
        var back = list.Count == 0 ? net.LaneLength[lane] : fleet.Pos[list[^1]] - fleet.Length[list[^1]] - fleet.MinGap[i];
        return Math.Clamp(back, Math.Min(fleet.Length[i], net.LaneLength[lane]), net.LaneLength[lane]);
    }

    // SUMO's isInsertionSuccess for the Euler update: the leader ahead (on the lane or on the next lanes of the route) must
    // allow the depart speed, and the follower behind must keep its secure gap.
    private bool InsertionSafe(int i, int lane, double pos, double speed)
    {
        var list = laneVehicles[lane];
        var minGap = fleet.MinGap[i];
        for (var k = 0; k < list.Count; k++)
        {
            var other = list[k];
            if (fleet.Pos[other] >= pos)
            {
                var gap = fleet.Pos[other] - fleet.Length[other] - pos - minGap;
                if (gap < 0 || SafeFollow(i, gap, speed, fleet.Speed[other], fleet.Decel[other]) < speed - 1e-9)
                {
                    return false;
                }
            }
        }
        foreach (var p in lanePartials[lane])
        {
            if (p.Back >= pos - fleet.Length[i] && p.Back - pos - minGap < 0)
            {
                return false;
            }
        }
        if (!FollowerSafe(i, lane, pos, speed))
        {
            return false;
        }
        if (list.Count == 0 || fleet.Pos[list[^1]] < pos)
        {
            // Nothing ahead on this lane: the vehicles that just entered the next lanes count (a short first edge).
            var seen = net.LaneLength[lane] - pos;
            var next = NextLaneOnRoute(i, lane, 0);
            if (next >= 0 && laneVehicles[next].Count > 0)
            {
                var last = laneVehicles[next][^1];
                var gap = seen + fleet.Pos[last] - fleet.Length[last] - minGap;
                if (gap < 0 || SafeFollow(i, gap, speed, fleet.Speed[last], fleet.Decel[last]) < speed - 1e-9)
                {
                    return false;
                }
            }
        }
        return true;
    }

    private int NextLaneOnRoute(int i, int lane, int routeIndex)
    {
        if (net.LaneInternal[lane])
        {
            return net.InternalNext[lane];
        }
        var route = fleet.Route[i];
        if (routeIndex + 1 >= route.Length)
        {
            return -1;
        }
        var link = net.FindLink(lane, route[routeIndex + 1]);
        return link < 0 ? -1 : net.LinkVia[link].Length > 0 ? net.LinkVia[link][0] : net.LinkTo[link];
    }

    private void Place(int i, int lane, double pos, double speed, double t)
    {
        fleet.Status[i] = 1;
        fleet.CoopLeader[i] = -1;
        fleet.ChangeBlocker[i] = -1;
        fleet.Lane[i] = lane;
        fleet.Pos[i] = pos;
        fleet.Speed[i] = speed;
        fleet.RouteIndex[i] = 0;
        fleet.Prev0[i] = fleet.Prev1[i] = fleet.Prev2[i] = -1;
        fleet.Depart[i] = t;
        fleet.DepartLaneId[i] = net.LaneId[lane];
        fleet.InsertedPos[i] = pos;
        fleet.InsertedSpeed[i] = speed;
        fleet.Odometer[i] = 0;
        InsertSorted(lane, i);
        RefreshSlots(lane);
        running.Add(i);
        if (running.Count > 1 && running[^2] > i)
        {
            running.Sort();
        }
        inserted++;
    }

    private void InsertSorted(int lane, int i)
    {
        var list = laneVehicles[lane];
        var k = list.Count;
        while (k > 0 && fleet.Pos[list[k - 1]] < fleet.Pos[i])
        {
            k--;
        }
        list.Insert(k, i);
    }

    private void Reroute(int i)
    {
        var route = fleet.Route[i];
        var from = fleet.Status[i] == 1 ? fleet.RouteIndex[i] : 0;
        var uses = false;
        for (var k = from + 1; k < route.Length; k++)
        {
            uses |= closedEdges[route[k]];
        }
        if (!uses)
        {
            return;
        }
        // A vehicle inside a junction keeps its next edge: it is already committed to it.
        var keep = fleet.Status[i] == 1 && net.LaneInternal[fleet.Lane[i]] ? from + 1 : from;
        var path = net.Route(route[keep], route[^1], closedEdges);
        if (path is null)
        {
            return;
        }
        fleet.Route[i] = [.. route[..keep], .. path];
        fleet.RerouteCount[i]++;
    }
}
