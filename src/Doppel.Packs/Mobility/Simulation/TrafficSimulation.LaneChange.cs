using Doppel.Packs.Mobility.Simulation.Internal;

namespace Doppel.Packs.Mobility.Simulation;

/// <summary>
/// Lane changing after the moves, LC2013-like: strategic (reach a lane that has the route's next connections, within
/// SUMO's look-ahead distance), speed gain (a probability that grows with the relative gain on the neighbour lane,
/// threshold 0.2 to the left and 2 to the right) and keep-right; a change happens only with secure gaps to the new
/// leader and follower.
/// </summary>
public sealed partial class TrafficSimulation
{
    // LC2013's look-forward time (s) times the look-ahead speed gives the distance within which strategic changes are due.
    private const double LookForward = 10;
    private const double ThresholdLeft = 0.2;
    private const double ThresholdRight = 2.0;
    private const double KeepRightAcceptance = 7;
    private const double KeepRightTime = 5;

    /// <summary>How well a lane serves the route: 0 no connection to the next edge, 1 it has one, 2 that connection also continues to the edge after.</summary>
    private int LaneScore(int i, int lane, int routeIndex)
    {
        var route = fleet.Route[i];
        if (routeIndex + 1 >= route.Length)
        {
            return 2;
        }
        var link = net.FindLink(lane, route[routeIndex + 1]);
        if (link < 0)
        {
            return 0;
        }
        if (routeIndex + 2 >= route.Length)
        {
            return 2;
        }
        return net.FindLink(net.LinkTo[link], route[routeIndex + 2]) >= 0 ? 2 : 1;
    }

    // The vehicles in load order: all running ones, or (in parallel) those of some edges. Edges run on different threads
    // (ChangeLanesByEdge), so a change reads no other edge's normal lanes and writes only its own edge's vehicles.
    private void ChangeLanes(ReadOnlySpan<int> vehicles)
    {
        foreach (var i in vehicles)
        {
            fleet.CoopLeader[i] = -1;
            fleet.ChangeBlocker[i] = -1;
        }
        foreach (var i in vehicles)
        {
            var lane = fleet.Lane[i];
            if (net.LaneInternal[lane] || fleet.Pos[i] < fleet.Length[i])
            {
                continue;
            }
            var lanes = net.EdgeLanes[net.LaneEdge[lane]];
            if (lanes.Length < 2)
            {
                continue;
            }
            var index = net.LaneIndex[lane];
            var routeIndex = fleet.RouteIndex[i];
            var remaining = net.LaneLength[lane] - fleet.Pos[i];
            var speedNow = Math.Max(fleet.Speed[i], DesiredSpeed(i, lane));
            var laDist = speedNow * LookForward;

            // Strategic: the best lane index within reach.
            var score = LaneScore(i, lane, routeIndex);
            var target = -1;
            var bestScore = score;
            var bestDistance = int.MaxValue;
            for (var k = 0; k < lanes.Length; k++)
            {
                if (!net.LaneAllowsPassenger[lanes[k]])
                {
                    continue;
                }
                var s = LaneScore(i, lanes[k], routeIndex);
                if (s > bestScore || (s == bestScore && s > score && Math.Abs(k - index) < bestDistance))
                {
                    bestScore = s;
                    bestDistance = Math.Abs(k - index);
                    target = k;
                }
            }
            if (target >= 0)
            {
                // Level 1 (no connection at all) is due within laDist per lane to cross, level 2 within laDist of the edge after.
                var offset = Math.Abs(target - index);
                var distance = score == 0 ? remaining : remaining + EdgeLengthAfter(i, routeIndex);
                var due = score == 0 ? remaining / offset < laDist * (target > index ? 2 : 1) : distance / offset < laDist * (target > index ? 2 : 1);
                if (due || score == 0)
                {
                    var neighbour = lanes[index + Math.Sign(target - index)];
                    // LC2013's remainingSeconds: the time left to change, at the look-ahead speed and with urgency 2, over
                    // the usable distance, which is shorter by what already stands on the target lane (best.occupation).
                    var occupation = 0.0;
                    foreach (var other in laneVehicles[lanes[target]])
                    {
                        occupation += fleet.Length[other] + fleet.MinGap[other];
                    }
                    var usable = Math.Max(0, (score == 0 ? remaining : distance) - occupation);
                    fleet.ChangeSeconds[i] = Math.Max(dt, usable / Math.Max(speedNow, CarFollowing.Eps) / offset / 2);
                    if (TryChange(i, lane, neighbour) || Cooperate(i, lane, neighbour))
                    {
                        continue;
                    }
                }
                if (score == 0)
                {
                    continue;
                }
            }

            // Speed gain and keep right, only between lanes that serve the route as well as this one.
            var thisSpeed = AnticipatedSpeed(i, lane, score > 0);
            if (index + 1 < lanes.Length && net.LaneAllowsPassenger[lanes[index + 1]] && LaneScore(i, lanes[index + 1], routeIndex) >= score)
            {
                var left = lanes[index + 1];
                var neighSpeed = AnticipatedSpeed(i, left, true);
                var gain = (neighSpeed - thisSpeed) / Math.Max(neighSpeed, 10);
                if (thisSpeed > neighSpeed)
                {
                    if (fleet.SpeedGainProbability[i] > 0)
                    {
                        fleet.SpeedGainProbability[i] *= Math.Pow(0.5, dt);
                    }
                }
                else if (thisSpeed == neighSpeed)
                {
                    if (fleet.SpeedGainProbability[i] > 0)
                    {
                        fleet.SpeedGainProbability[i] *= Math.Pow(0.8, dt);
                    }
                }
                else
                {
                    fleet.SpeedGainProbability[i] += dt * gain;
                }
                if (fleet.SpeedGainProbability[i] > ThresholdLeft && gain > CarFollowing.Eps && remaining + EdgeLengthAfter(i, routeIndex) > 20 * Math.Max(.1, fleet.Speed[i]) && TryChange(i, lane, left))
                {
                    continue;
                }
            }
            if (index > 0 && net.LaneAllowsPassenger[lanes[index - 1]] && LaneScore(i, lanes[index - 1], routeIndex) >= score)
            {
                var right = lanes[index - 1];
                var neighSpeed = AnticipatedSpeed(i, right, true);
                var gain = (neighSpeed - thisSpeed) / Math.Max(neighSpeed, 10);
                if (thisSpeed - (5 / 3.6) > neighSpeed)
                {
                    if (fleet.SpeedGainProbability[i] < 0)
                    {
                        fleet.SpeedGainProbability[i] *= Math.Pow(0.5, dt);
                    }
                }
                else if (fleet.SpeedGainProbability[i] < 0 || gain > 0)
                {
                    fleet.SpeedGainProbability[i] -= dt * gain;
                }
                var vMax = DesiredSpeed(i, right);
                var acceptance = KeepRightAcceptance * vMax * Math.Max(1, fleet.Speed[i]) / net.LaneSpeed[lane];
                var neighDist = remaining + EdgeLengthAfter(i, routeIndex);
                var fullSpeedGap = Math.Max(0, neighDist - CarFollowing.BrakeGap(vMax, fleet.Decel[i], 0, dt));
                var seconds = Math.Min(acceptance, fullSpeedGap / vMax);
                var (rightLeader, rightGap) = LeaderOn(right, fleet.Pos[i], i);
                if (rightLeader >= 0 && fleet.Speed[rightLeader] < vMax)
                {
                    fullSpeedGap = Math.Max(0, Math.Min(fullSpeedGap, rightGap - CarFollowing.SecureGap(vMax, fleet.Speed[rightLeader], fleet.Decel[i], fleet.Decel[rightLeader], fleet.Tau[i], dt)));
                    seconds = Math.Min(seconds, fullSpeedGap / (vMax - fleet.Speed[rightLeader]));
                }
                fleet.KeepRightProbability[i] -= dt * ThresholdRight * (seconds / acceptance) / KeepRightTime;
                if ((fleet.KeepRightProbability[i] < -ThresholdRight || (fleet.SpeedGainProbability[i] < -ThresholdRight && neighDist / Math.Max(.1, fleet.Speed[i]) > 20)) && TryChange(i, lane, right))
                {
                    continue;
                }
            }
        }
    }

    private double EdgeLengthAfter(int i, int routeIndex)
    {
        var route = fleet.Route[i];
        return routeIndex + 1 < route.Length ? net.LaneLength[net.EdgeLanes[route[routeIndex + 1]][0]] : 0;
    }

    // LC2013's anticipateFollowSpeed: the safe speed behind the lane's leader, or before the lane's end when the lane
    // does not serve the route.
    private double AnticipatedSpeed(int i, int lane, bool continues)
    {
        var vMax = DesiredSpeed(i, lane);
        var next = Math.Min(fleet.Speed[i] + (fleet.Accel[i] * dt), fleet.MaxSpeed[i]);
        var (leader, gap) = LeaderOn(lane, fleet.Pos[i], i);
        double speed;
        if (leader >= 0)
        {
            speed = CarFollowing.SafeFollowSpeed(gap, next, fleet.Speed[leader], fleet.Decel[leader], fleet.Decel[i], fleet.EmergencyDecel[i], fleet.Tau[i], dt);
        }
        else
        {
            var dist = net.LaneLength[lane] - fleet.Pos[i] + (continues ? EdgeLengthAfter(i, fleet.RouteIndex[i]) : 0);
            speed = CarFollowing.SafeStopSpeed(dist, fleet.Decel[i], fleet.Tau[i], dt);
        }
        return Math.Min(vMax, speed);
    }

    /// <summary>The nearest vehicle ahead of pos on the lane (whole or with its back there) and the gap to it after minGap.</summary>
    private (int Leader, double Gap) LeaderOn(int lane, double pos, int self)
    {
        var leader = -1;
        var gap = double.MaxValue;
        var list = laneVehicles[lane];
        for (var k = list.Count - 1; k >= 0; k--)
        {
            var o = list[k];
            if (o != self && fleet.Pos[o] > pos)
            {
                leader = o;
                gap = fleet.Pos[o] - fleet.Length[o] - pos - fleet.MinGap[self];
                break;
            }
        }
        foreach (var p in lanePartials[lane])
        {
            // A vehicle with its back here has its front on the next lane: it is ahead, even when it overlaps pos.
            if (p.Vehicle != self && p.Back - pos - fleet.MinGap[self] < gap)
            {
                leader = p.Vehicle;
                gap = p.Back - pos - fleet.MinGap[self];
            }
        }
        if (leader < 0 && !net.LaneInternal[lane])
        {
            // Nobody on the lane ahead: the last vehicle on the lane the route continues into.
            var next = NextLaneOnRoute(self, lane, fleet.RouteIndex[self]);
            if (next >= 0 && laneVehicles[next].Count > 0)
            {
                var last = laneVehicles[next][^1];
                leader = last;
                gap = net.LaneLength[lane] - pos + fleet.Pos[last] - fleet.Length[last] - fleet.MinGap[self];
            }
        }
        return (leader, gap);
    }

    private bool TryChange(int i, int from, int to)
    {
        var pos = fleet.Pos[i];
        var (leader, gap) = LeaderOn(to, pos, i);
        if (leader >= 0 && (gap < 0 || gap < CarFollowing.SecureGap(fleet.Speed[i], fleet.Speed[leader], fleet.Decel[i], fleet.Decel[leader], fleet.Tau[i], dt)))
        {
            return false;
        }
        if (!FollowerSafe(i, to, pos, fleet.Speed[i]))
        {
            return false;
        }
        Move(i, from, to);
        return true;
    }

    // LC2013's cooperation for a blocked strategic change: the follower on the target lane makes room (it keeps a
    // gap to the changer), the changer falls back behind the target lane's leader, and two vehicles stuck side by side
    // that each need the other's lane swap lanes (MSLaneChanger's swap).
    private bool Cooperate(int i, int from, int to)
    {
        var pos = fleet.Pos[i];
        var list = laneVehicles[to];
        int follower = -1, leader = -1;
        for (var k = 0; k < list.Count; k++)
        {
            var o = list[k];
            if (fleet.Pos[o] > pos)
            {
                leader = o;
            }
            else
            {
                follower = o;
                break;
            }
        }
        foreach (var other in new[] { leader, follower })
        {
            if (other >= 0 && Math.Abs(fleet.Pos[other] - pos) < Math.Min(fleet.Length[i], fleet.Length[other])
                && fleet.Speed[i] < 1 && fleet.Speed[other] < 1
                && LaneScore(other, to, fleet.RouteIndex[other]) == 0 && LaneScore(other, from, fleet.RouteIndex[other]) > 0)
            {
                laneVehicles[to].Remove(other);
                Move(i, from, to);
                fleet.Lane[other] = from;
                InsertSorted(from, other);
                RefreshSlots(from);
                RefreshSlots(to);
                return true;
            }
        }
        if (follower >= 0)
        {
            fleet.CoopLeader[follower] = i;
        }
        if (leader >= 0 && fleet.Pos[leader] - fleet.Length[leader] - fleet.MinGap[i] < pos)
        {
            fleet.ChangeBlocker[i] = leader;
        }
        return false;
    }

    private void Move(int i, int from, int to)
    {
        laneVehicles[from].Remove(i);
        fleet.Lane[i] = to;
        InsertSorted(to, i);
        fleet.SpeedGainProbability[i] = 0;
        fleet.KeepRightProbability[i] = 0;
        RefreshSlots(from);
        RefreshSlots(to);
    }

    /// <summary>Whether the nearest vehicle behind pos on the lane, or about to enter it from the junction, keeps its secure gap to a vehicle placed there.</summary>
    private bool FollowerSafe(int i, int lane, double pos, double speed)
    {
        var list = laneVehicles[lane];
        for (var k = 0; k < list.Count; k++)
        {
            var f = list[k];
            if (f != i && fleet.Pos[f] <= pos)
            {
                return GapSafe(f, pos - fleet.Length[i] - fleet.Pos[f], i, speed);
            }
        }
        foreach (var incoming in net.LaneIncoming[lane])
        {
            foreach (var f in laneVehicles[incoming])
            {
                if (!GapSafe(f, net.LaneLength[incoming] - fleet.Pos[f] + pos - fleet.Length[i], i, speed))
                {
                    return false;
                }
            }
        }
        return true;
    }

    private bool GapSafe(int follower, double gap, int leader, double leaderSpeed)
    {
        gap -= fleet.MinGap[follower];
        return gap >= 0 && gap >= CarFollowing.SecureGap(fleet.Speed[follower], leaderSpeed, fleet.Decel[follower], fleet.Decel[leader], fleet.Tau[follower], dt);
    }

    private void RefreshSlots(int lane)
    {
        var list = laneVehicles[lane];
        for (var k = 0; k < list.Count; k++)
        {
            fleet.Slot[list[k]] = k;
        }
    }
}
