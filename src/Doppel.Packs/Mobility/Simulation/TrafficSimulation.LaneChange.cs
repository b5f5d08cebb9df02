using Doppel.Packs.Mobility.Simulation.Internal;

namespace Doppel.Packs.Mobility.Simulation;

/// <summary>
/// Lane changing after the moves, LC2013's: every vehicle on a normal lane asks first whether it wants to change to the
/// right, then to the left (MSLaneChanger's order), from SUMO's best lanes (<see cref="BestLanes"/>, the length each lane
/// serves the route for). A change is strategic (urgent once the distance left on the lane, per lane to cross, is shorter
/// than the look-ahead distance; otherwise taken when the speed gain probability points the same way), for speed gain
/// (a probability that grows with the relative gain on the neighbour lane, threshold 0.2 to the left and 2 to the right)
/// or to keep right; a vehicle stays on its lane when it could not come back in time. A change happens only with secure
/// gaps to the new leader and follower.
/// </summary>
public sealed partial class TrafficSimulation
{
    // LC2013's look-forward time (s): times the look-ahead speed, the distance within which strategic changes are due.
    private const double LookForward = 10;
    // lcLookaheadLeft: changes to the left look this much farther ahead.
    private const double LookaheadLeft = 2.0;
    // LOOK_AHEAD_SPEED_MEMORY: how much of the look-ahead speed a second keeps when the vehicle slows.
    private const double LookAheadSpeedMemory = 0.9;
    private const double Urgency = 2.0;
    // TURN_LANE_DIST: a neighbour lane that leads elsewhere within this distance is a turn lane to avoid.
    private const double TurnLaneDistance = 200;
    private const double RelativeGainMinSpeed = 10;
    private const double ThresholdLeft = 0.2;
    private const double ThresholdRight = 2.0;
    private const double KeepRightAcceptance = 7;
    private const double KeepRightTime = 5;

    private enum ChangeReason
    {
        Strategic,
        SpeedGain,
        KeepRight,
    }

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

    /// <summary>Lane changes made so far, by LC2013's reason.</summary>
    public LaneChangeCounts LaneChanges
    {
        get
        {
            long strategic = 0, speedGain = 0, keepRight = 0;
            for (var i = 0; i < Math.Min(fleet.Count, bestLanes.Capacity); i++)
            {
                strategic += bestLanes.StrategicChanges[i];
                speedGain += bestLanes.SpeedGainChanges[i];
                keepRight += bestLanes.KeepRightChanges[i];
            }
            return new LaneChangeCounts(strategic, speedGain, keepRight);
        }
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
            bestLanes.Update(i, fleet.Route[i], fleet.RouteIndex[i], MaxBrakeDistance(i, lane));
            _ = WantsChange(i, lane, lanes, -1) || WantsChange(i, lane, lanes, 1);
        }
    }

    // MSLaneChanger's occupation of a lane of the vehicle's edge: the lengths with gaps of the vehicles ahead of it there
    // (those the changer has passed, front to back) and the brutto occupancy of the lanes the lane continues into.
    private double Occupation(int i, int[] lanes, int index)
    {
        var pos = fleet.Pos[i];
        var occupation = 0.0;
        foreach (var o in laneVehicles[lanes[index]])
        {
            if (o == i || fleet.Pos[o] < pos)
            {
                break;
            }
            occupation += fleet.Length[o] + fleet.MinGap[o];
        }
        var continuation = bestLanes.ContinuationLanes[i];
        var start = bestLanes.ContinuationStart[i];
        for (var k = start[index]; k < start[index + 1]; k++)
        {
            occupation += laneBrutto[continuation[k]];
        }
        return occupation;
    }

    // updateBestLanes looks at least as far as the vehicle needs to stop from its top speed at the end of this lane.
    private double MaxBrakeDistance(int i, int lane)
    {
        var vMax = fleet.MaxSpeed[i];
        return net.LaneLength[lane] + (fleet.Tau[i] * vMax) + CarFollowing.BrakeGap(vMax, fleet.Decel[i], fleet.Tau[i], dt) + fleet.MinGap[i];
    }

    // LC2013's _wantsChange for one direction (-1 right, +1 left), and the change when it wants one and the gaps allow it.
    // Returns whether the vehicle changed lanes.
    private bool WantsChange(int i, int lane, int[] lanes, int direction)
    {
        var index = net.LaneIndex[lane];
        var neighIndex = index + direction;
        if (neighIndex < 0 || neighIndex >= lanes.Length || !net.LaneAllowsPassenger[lanes[neighIndex]])
        {
            return false;
        }
        var neighbour = lanes[neighIndex];
        var right = direction < 0;
        var offsets = bestLanes.Offset[i];
        var currentDist = bestLanes.Length[i][index];
        var neighDist = bestLanes.Length[i][neighIndex];
        var laneOffset = offsets[index];
        var bestOffset = laneOffset;
        if (bestOffset == 0 && offsets[neighIndex] == 0)
        {
            // Both lanes serve the route equally: the neighbour counts as best, so neither rule against leaving it applies.
            bestOffset = direction;
        }
        var changeToBest = right ? bestOffset < 0 : bestOffset > 0;
        var pos = fleet.Pos[i];
        var speed = fleet.Speed[i];

        // The look-ahead speed follows the speed up at once and down slowly, so the look-ahead distance does not flicker.
        ref var lookAheadSpeed = ref bestLanes.LookAheadSpeed[i];
        if (speed > lookAheadSpeed)
        {
            lookAheadSpeed = speed;
        }
        else
        {
            var memory = 1 - ((1 - LookAheadSpeedMemory) * dt);
            lookAheadSpeed = Math.Max(0, (memory * lookAheadSpeed) + ((1 - memory) * speed));
        }
        var laDist = (lookAheadSpeed * LookForward * (right ? 1 : LookaheadLeft)) + (2 * (fleet.Length[i] + fleet.MinGap[i]));

        // What already stands on the lanes counts against the distance left (MSLaneChanger's occupation).
        var usableDist = currentDist - pos - Occupation(i, lanes, index + bestOffset);
        var neighLeftPlace = Math.Max(0, neighDist - pos - Math.Max(Occupation(i, lanes, neighIndex), Occupation(i, lanes, index)));
        if (changeToBest && bestOffset == laneOffset && usableDist / Math.Abs(bestOffset) < laDist)
        {
            // Urgent: the route needs the change soon. Blocked, the vehicle gets help (Cooperate) and falls back over the
            // seconds left (LC2013's remainingSeconds: the space at the look-ahead speed, per lane to cross, with urgency
            // 2). The space is the usable distance, less what stands on the lanes, not LC2013's whole space left: a
            // vehicle falls back harder in a queue, which the heavy grid10x10 evacuation needs to clear as in SUMO.
            fleet.ChangeSeconds[i] = Math.Max(dt, Math.Max(0, usableDist) / Math.Max(lookAheadSpeed, CarFollowing.Eps) / Math.Max(1, Math.Abs(bestOffset)) / Urgency);
            if (TryChange(i, lane, neighbour, ChangeReason.Strategic))
            {
                return true;
            }
            return Cooperate(i, lane, neighbour);
        }
        if (!changeToBest && neighLeftPlace / (Math.Abs(bestOffset) + 2) < laDist)
        {
            // It could not change there and back in time.
            return false;
        }
        if (bestOffset == 0 && neighLeftPlace * 2 < laDist)
        {
            return false;
        }
        if (bestOffset == 0 && bestLanes.LeadsOn[i][neighIndex] && neighDist < TurnLaneDistance)
        {
            // Do not leave the best lane for a turn lane that leads elsewhere.
            return false;
        }

        var vMax = DesiredSpeed(i, lane);
        var thisLaneVSafe = Math.Min(vMax, AnticipatedSpeed(i, lane, currentDist));
        var neighLaneVSafe = Math.Min(DesiredSpeed(i, neighbour), AnticipatedSpeed(i, neighbour, neighDist));
        var relativeGain = (neighLaneVSafe - thisLaneVSafe) / Math.Max(neighLaneVSafe, RelativeGainMinSpeed);
        ref var speedGain = ref fleet.SpeedGainProbability[i];
        if (right)
        {
            if (thisLaneVSafe - (5 / 3.6) > neighLaneVSafe)
            {
                if (speedGain < 0)
                {
                    speedGain *= Math.Pow(0.5, dt);
                }
            }
            else
            {
                if (speedGain < 0 || relativeGain > 0)
                {
                    speedGain -= dt * relativeGain;
                }
                // The obligation to keep right grows with the time the vehicle could drive at full speed on the right lane.
                var acceptance = KeepRightAcceptance * vMax / net.LaneSpeed[lane] * Math.Max(1, speed);
                var fullSpeedGap = Math.Max(0, neighDist - CarFollowing.BrakeGap(vMax, fleet.Decel[i], fleet.Tau[i], dt));
                var seconds = Math.Min(acceptance, fullSpeedGap / vMax);
                var (rightLeader, rightGap) = LeaderOn(neighbour, pos, i);
                if (rightLeader >= 0 && fleet.Speed[rightLeader] < vMax)
                {
                    fullSpeedGap = Math.Max(0, Math.Min(fullSpeedGap, rightGap - CarFollowing.SecureGap(vMax, fleet.Speed[rightLeader], fleet.Decel[i], fleet.Decel[rightLeader], fleet.Tau[i], dt)));
                    seconds = Math.Min(seconds, fullSpeedGap / (vMax - fleet.Speed[rightLeader]));
                }
                fleet.KeepRightProbability[i] -= dt * ThresholdRight * (seconds / acceptance) / KeepRightTime;
                if (fleet.KeepRightProbability[i] < -ThresholdRight)
                {
                    return TryChange(i, lane, neighbour, ChangeReason.KeepRight);
                }
            }
            if (speedGain < -ThresholdRight && neighDist / Math.Max(.1, speed) > 20)
            {
                return TryChange(i, lane, neighbour, ChangeReason.SpeedGain);
            }
        }
        else
        {
            if (thisLaneVSafe > neighLaneVSafe)
            {
                if (speedGain > 0)
                {
                    speedGain *= Math.Pow(0.5, dt);
                }
            }
            else if (thisLaneVSafe == neighLaneVSafe)
            {
                if (speedGain > 0)
                {
                    speedGain *= Math.Pow(0.8, dt);
                }
            }
            else
            {
                speedGain += dt * relativeGain;
            }
            if (speedGain > ThresholdLeft && relativeGain > CarFollowing.Eps && neighDist / Math.Max(.1, speed) > 20)
            {
                return TryChange(i, lane, neighbour, ChangeReason.SpeedGain);
            }
        }
        if (changeToBest && bestOffset == laneOffset && relativeGain >= 0 && (right ? speedGain < 0 : speedGain > 0))
        {
            // Towards the best lane early, where that costs no speed.
            return TryChange(i, lane, neighbour, ChangeReason.Strategic);
        }
        return false;
    }

    // LC2013's anticipateFollowSpeed: the safe speed behind the lane's leader, or (none) before the end of the distance the
    // lane serves the route (the best-lanes length, as SUMO passes it).
    private double AnticipatedSpeed(int i, int lane, double dist)
    {
        var vMax = DesiredSpeed(i, lane);
        var next = Math.Min(fleet.Speed[i] + (fleet.Accel[i] * dt), fleet.MaxSpeed[i]);
        var (leader, gap) = LeaderOn(lane, fleet.Pos[i], i);
        var speed = leader >= 0
            ? CarFollowing.SafeFollowSpeed(gap, next, fleet.Speed[leader], fleet.Decel[leader], fleet.Decel[i], fleet.EmergencyDecel[i], fleet.Tau[i], dt)
            : CarFollowing.SafeStopSpeed(dist, fleet.Decel[i], fleet.Tau[i], dt);
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

    private bool TryChange(int i, int from, int to, ChangeReason reason)
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
        Count(i, reason);
        return true;
    }

    private void Count(int i, ChangeReason reason)
    {
        switch (reason)
        {
            case ChangeReason.Strategic:
                bestLanes.StrategicChanges[i]++;
                break;
            case ChangeReason.SpeedGain:
                bestLanes.SpeedGainChanges[i]++;
                break;
            default:
                bestLanes.KeepRightChanges[i]++;
                break;
        }
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
                Count(i, ChangeReason.Strategic);
                Count(other, ChangeReason.Strategic);
                bestLanes.LookAheadSpeed[other] = 0;
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
        bestLanes.LookAheadSpeed[i] = 0;
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
