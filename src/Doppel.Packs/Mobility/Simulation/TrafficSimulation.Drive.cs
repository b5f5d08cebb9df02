using Doppel.Packs.Mobility.Simulation.Internal;

namespace Doppel.Packs.Mobility.Simulation;

/// <summary>
/// The step's driving: plan (car following along the lanes ahead, signals, right of way), approaches registered at
/// links, execution (SUMO's opened() check, finalizeSpeed with dawdling), moves across lanes, collisions and teleports.
/// </summary>
public sealed partial class TrafficSimulation
{
    // SUMO's look-ahead time at junctions: a foe must arrive this much after ego has left, or leave this much before.
    private const double JunctionLookahead = 1.0;

    // SUMO's default foe visibility distance at a junction (m).
    private const double FoeVisibility = 4.5;

    private double SafeFollow(int i, double gap, double speed, double leaderSpeed, double leaderDecel)
    {
        if (fleet.Idm[i])
        {
            return CarFollowing.Idm(gap, speed, leaderSpeed, DesiredSpeed(i, fleet.Lane[i] < 0 ? 0 : fleet.Lane[i]), fleet.Accel[i], fleet.Decel[i], fleet.Tau[i], fleet.MinGap[i], fleet.Delta[i], true, dt);
        }
        return Math.Min(CarFollowing.SafeFollowSpeed(gap, speed, leaderSpeed, leaderDecel, fleet.Decel[i], fleet.EmergencyDecel[i], fleet.Tau[i], dt), speed + (fleet.Accel[i] * dt));
    }

    private double SafeStop(int i, double gap, double speed)
    {
        if (fleet.Idm[i])
        {
            return CarFollowing.Idm(gap, speed, 0, DesiredSpeed(i, fleet.Lane[i]), fleet.Accel[i], fleet.Decel[i], fleet.Tau[i], fleet.MinGap[i], fleet.Delta[i], false, dt);
        }
        // Krauss stops with the action step as headway (SUMO's stopSpeed).
        return Math.Min(CarFollowing.SafeStopSpeed(gap, fleet.Decel[i], dt, dt), speed + (fleet.Accel[i] * dt));
    }

    private double DesiredSpeed(int i, int lane) => Math.Min(fleet.MaxSpeed[i], net.LaneSpeed[lane] * fleet.SpeedFactor[i]);

    private void PrepareStep()
    {
        Array.Clear(laneBrutto);
        Array.Clear(laneHalted);
        foreach (var i in running)
        {
            var lane = fleet.Lane[i];
            var target = net.LaneInternal[lane] && net.InternalLink[lane] >= 0 ? net.LinkTo[net.InternalLink[lane]] : lane;
            laneBrutto[target] += fleet.Length[i] + fleet.MinGap[i];
            if (fleet.Speed[i] < CarFollowing.HaltingSpeed && target == lane)
            {
                laneHalted[target] = true;
            }
        }
    }

    private void PlanVehicle(int i)
    {
        var lane = fleet.Lane[i];
        var pos = fleet.Pos[i];
        var v = fleet.Speed[i];
        var minGap = fleet.MinGap[i];
        var vPlan = DesiredSpeed(i, lane);
        if (fleet.Idm[i])
        {
            vPlan = CarFollowing.Idm(1e6, v, v, vPlan, fleet.Accel[i], fleet.Decel[i], fleet.Tau[i], minGap, fleet.Delta[i], false, dt);
        }
        fleet.CheckLink[i] = -1;
        fleet.ApproachLink[i] = -1;
        fleet.CheckNeedsStop[i] = false;

        // The leader on this lane: the vehicle in front, or the back of one that has already moved on (partially here).
        var leaderFound = false;
        var list = laneVehicles[lane];
        var slot = fleet.Slot[i];
        var gapAhead = double.MaxValue;
        var leaderSpeed = 0.0;
        var leaderDecel = 0.0;
        if (slot > 0)
        {
            var leader = list[slot - 1];
            gapAhead = fleet.Pos[leader] - fleet.Length[leader] - pos - minGap;
            leaderSpeed = fleet.Speed[leader];
            leaderDecel = fleet.Decel[leader];
            leaderFound = true;
        }
        foreach (var p in lanePartials[lane])
        {
            if (p.Vehicle != i && p.Back - pos - minGap < gapAhead)
            {
                gapAhead = p.Back - pos - minGap;
                leaderSpeed = fleet.Speed[p.Vehicle];
                leaderDecel = fleet.Decel[p.Vehicle];
                leaderFound = true;
            }
        }
        if (leaderFound)
        {
            vPlan = Math.Min(vPlan, SafeFollow(i, gapAhead, v, leaderSpeed, leaderDecel));
        }
        var coop = fleet.CoopLeader[i];
        if (coop >= 0 && fleet.Status[coop] == 1 && net.LaneEdge[fleet.Lane[coop]] == net.LaneEdge[lane])
        {
            // A neighbour needs this lane: leave it room, braking no harder than the normal deceleration (LC2013's
            // informFollower asks for at most that, and patchSpeed never applies more).
            var gap = fleet.Pos[coop] - fleet.Length[coop] - pos - minGap;
            if (gap >= 0)
            {
                vPlan = Math.Min(vPlan, Math.Max(v - (fleet.Decel[i] * dt), SafeFollow(i, gap, v, fleet.Speed[coop], fleet.Decel[coop])));
            }
        }
        var blocker = fleet.ChangeBlocker[i];
        if (blocker >= 0 && fleet.Status[blocker] == 1 && net.LaneEdge[fleet.Lane[blocker]] == net.LaneEdge[lane])
        {
            vPlan = Math.Min(vPlan, FallBehind(i, blocker, v, pos));
        }

        // Look ahead along the route: speed limits, the first junction's signal and right of way, leaders further on.
        var seen = net.LaneLength[lane] - pos;
        var lookahead = Math.Max(100, CarFollowing.BrakeGap(Math.Max(v, vPlan), fleet.Decel[i], fleet.Tau[i], dt) + (2 * v));
        var current = lane;
        var routeIndex = fleet.RouteIndex[i];
        var route = fleet.Route[i];
        var decided = false;
        var pathLeaderFound = false;
        for (var hop = 0; hop < 8; hop++)
        {
            int next;
            if (net.LaneInternal[current])
            {
                var waitLink = net.InternalWait[current];
                if (waitLink >= 0 && !decided)
                {
                    // SUMO's internal junction: a left turn waits inside for the oncoming traffic it yields to.
                    decided = true;
                    fleet.CheckLink[i] = waitLink;
                    fleet.CheckIsWait[i] = true;
                    fleet.WaitSpeed[i] = Math.Min(vPlan, SafeStop(i, seen, v));
                    SetCheckTimes(i, waitLink, seen, v, vPlan);
                }
                next = net.InternalNext[current];
                if (next < 0)
                {
                    break;
                }
                if (!net.LaneInternal[next])
                {
                    routeIndex++;
                }
            }
            else
            {
                if (routeIndex + 1 >= route.Length)
                {
                    break;
                }
                var link = net.FindLink(current, route[routeIndex + 1]);
                if (link < 0 || closedEdges[route[routeIndex + 1]])
                {
                    // Wrong lane for the route (or the way is closed): stop at the lane's end until a lane change.
                    vPlan = Math.Min(vPlan, SafeStop(i, seen, v));
                    break;
                }
                var state = net.State(link);
                if (state is 'r' or 'u')
                {
                    vPlan = Math.Min(vPlan, SafeStop(i, seen, v));
                    break;
                }
                if (state is 'y' or 'Y' && seen >= CarFollowing.BrakeGap(v, fleet.Decel[i], 0, dt))
                {
                    // Yellow: stop if it can brake in time.
                    vPlan = Math.Min(vPlan, SafeStop(i, seen, v));
                    break;
                }
                var to = net.LinkTo[link];
                if (laneHalted[to] && net.LaneLength[to] - laneBrutto[to] < fleet.Length[i] + minGap && seen > 0.01 + (v * dt))
                {
                    // SUMO's checkRewindLinkLanes: do not enter the junction when the lane after it is jammed.
                    vPlan = Math.Min(vPlan, SafeStop(i, seen, v));
                    break;
                }
                if (!decided)
                {
                    // Foes see this vehicle coming; a link that may wait inside the junction is decided at its wait point.
                    var waitsInside = net.LinkCont[link] && net.LinkVia[link].Length > 1;
                    decided = !waitsInside;
                    SetCheckTimes(i, link, seen, v, vPlan);
                    // SUMO's setRequest: only a vehicle that means to move (planned speed above zero) asks for the link.
                    fleet.ApproachLink[i] = vPlan > CarFollowing.Eps ? link : -1;
                    fleet.ApproachArrival[i] = fleet.CheckArrival[i];
                    fleet.ApproachLeave[i] = fleet.CheckLeave[i];
                    if (!(state is 'G' or 'M' or 'y' or 'Y') && seen > FoeVisibility && seen > CarFollowing.BrakeGap(v, fleet.Decel[i], 0, dt))
                    {
                        // SUMO slows down for a minor link until the foes are in sight (4.5 m before it): it must be able
                        // to stop there, which caps its speed at the visibility distance.
                        var atVisibility = CarFollowing.SafeStopSpeed(FoeVisibility, fleet.Decel[i], 0, dt);
                        vPlan = Math.Min(vPlan, CarFollowing.FreeSpeed(fleet.Decel[i], seen - FoeVisibility, atVisibility, dt));
                    }
                    if (!waitsInside && !(state is 'G' or 'M' or 'y' or 'Y'))
                    {
                        fleet.CheckLink[i] = link;
                        fleet.CheckIsWait[i] = false;
                        fleet.WaitSpeed[i] = Math.Min(vPlan, SafeStop(i, seen, v));
                        fleet.CheckNeedsStop[i] = state is 's' or 'w';
                    }
                }
                else if (!(state is 'G' or 'M' or 'y' or 'Y') && !(net.LinkCont[link] && net.LinkVia[link].Length > 1))
                {
                    // A second junction within reach that needs a right-of-way check: be able to stop there.
                    vPlan = Math.Min(vPlan, SafeStop(i, seen, v));
                    break;
                }
                next = net.LinkVia[link].Length > 0 ? net.LinkVia[link][0] : to;
                if (!net.LaneInternal[next])
                {
                    routeIndex++;
                }
            }
            // Slow down in time for a lower limit ahead (a turn inside the junction).
            var limit = DesiredSpeed(i, next);
            if (limit < vPlan)
            {
                vPlan = Math.Min(vPlan, CarFollowing.FreeSpeed(fleet.Decel[i], seen, limit, dt));
            }
            // Leaders along the path ahead count even when the lane has one: a vehicle partly on it may be turning elsewhere
            // (SUMO adapts to the leaders on every lane it looks ahead on). The first lane ahead with one ends the search.
            if (!pathLeaderFound)
            {
                var others = laneVehicles[next];
                var gap = double.MaxValue;
                if (others.Count > 0)
                {
                    var last = others[^1];
                    gap = seen + fleet.Pos[last] - fleet.Length[last] - minGap;
                    leaderSpeed = fleet.Speed[last];
                    leaderDecel = fleet.Decel[last];
                    pathLeaderFound = true;
                }
                foreach (var p in lanePartials[next])
                {
                    if (p.Vehicle != i && seen + p.Back - minGap < gap)
                    {
                        gap = seen + p.Back - minGap;
                        leaderSpeed = fleet.Speed[p.Vehicle];
                        leaderDecel = fleet.Decel[p.Vehicle];
                        pathLeaderFound = true;
                    }
                }
                if (net.LaneInternal[current] && !net.LaneInternal[next])
                {
                    // Vehicles on other internal lanes merging into the same lane, nearer to the merge, go first.
                    foreach (var incoming in net.LaneIncoming[next])
                    {
                        if (incoming != current)
                        {
                            MergeLeader(i, incoming, 0, seen, ref gap, ref leaderSpeed, ref leaderDecel, ref pathLeaderFound);
                        }
                    }
                }
                if (pathLeaderFound)
                {
                    vPlan = Math.Min(vPlan, SafeFollow(i, gap, v, leaderSpeed, leaderDecel));
                }
            }
            seen += net.LaneLength[next];
            current = next;
            if (seen > lookahead && (decided || seen > 2 * lookahead))
            {
                break;
            }
        }
        fleet.PlanSpeed[i] = vPlan;
    }

    // LC2013's informLeader when a strategic change is blocked by the target lane's leader alongside: follow where that
    // leader will be (assumed to slow by at least 1 m/s²), but no harder than the normal deceleration (patchSpeed's
    // lower bound) and spread over the seconds left for the change, at least MIN_FALLBEHIND.
    private double FallBehind(int i, int blocker, double v, double pos)
    {
        const double minFallBehind = 7.0 / 3.6;
        var decel = fleet.Decel[i];
        var blockerNext = Math.Max(0, fleet.Speed[blocker] - dt);
        var gap = fleet.Pos[blocker] - fleet.Length[blocker] - pos - fleet.MinGap[i] + (blockerNext * dt);
        var target = Math.Max(Math.Max(0, v - (decel * dt)), SafeFollow(i, gap, v, blockerNext, fleet.Decel[blocker]));
        if (target >= v)
        {
            return target;
        }
        var fallBack = Math.Min(decel, Math.Max(minFallBehind, (v - target) / fleet.ChangeSeconds[i]));
        return Math.Max(0, v - (fallBack * dt));
    }

    // A vehicle on another internal lane merging into ego's next lane leads ego when it is nearer to the merge (ties go
    // to the lower index, so exactly one of two vehicles at the same distance yields). The merging lane's earlier
    // internal lanes count too: a vehicle there can reach the merge in the same step as ego.
    private void MergeLeader(int i, int lane, double after, double seen, ref double gap, ref double leaderSpeed, ref double leaderDecel, ref bool leaderFound)
    {
        foreach (var o in laneVehicles[lane])
        {
            var rest = net.LaneLength[lane] - fleet.Pos[o] + after;
            var gapToO = seen - rest - fleet.Length[o] - fleet.MinGap[i];
            // Farther back on the chain only a vehicle that may reach the merge within this step leads (one waiting at its
            // internal junction must not hold up the traffic it yields to).
            var reaches = after <= 0 || rest < (fleet.Speed[o] + (fleet.Accel[o] * dt)) * dt;
            if (reaches && (rest < seen || (rest == seen && o < i)) && gapToO < gap)
            {
                gap = gapToO;
                leaderSpeed = fleet.Speed[o];
                leaderDecel = fleet.Decel[o];
                leaderFound = true;
            }
        }
        foreach (var before in net.LaneIncoming[lane])
        {
            MergeLeader(i, before, after + net.LaneLength[lane], seen, ref gap, ref leaderSpeed, ref leaderDecel, ref leaderFound);
        }
        // The first car on the lane before the junction leads too when it may reach the merge within this step over a link
        // with priority: no right of way keeps the two apart there (at an unregulated junction every link has priority),
        // only the merge. SUMO sees no foes at all at such a junction, and its cars collide there.
        var entry = net.InternalLink[lane];
        if (entry >= 0 && net.LinkVia[entry][0] == lane && !net.LaneInternal[net.LinkFrom[entry]] && HasPriority(net.State(entry)))
        {
            var from = net.LinkFrom[entry];
            var queue = laneVehicles[from];
            if (queue.Count > 0)
            {
                var o = queue[0];
                var route = fleet.Route[o];
                var next = fleet.RouteIndex[o] + 1;
                var rest = net.LaneLength[from] - fleet.Pos[o] + after + net.LaneLength[lane];
                var gapToO = seen - rest - fleet.Length[o] - fleet.MinGap[i];
                if (o != i && next < route.Length && route[next] == net.LinkToEdge[entry] && net.FindLink(from, route[next]) == entry
                    && rest < (fleet.Speed[o] + (fleet.Accel[o] * dt)) * dt && rest < seen && gapToO < gap)
                {
                    gap = gapToO;
                    leaderSpeed = fleet.Speed[o];
                    leaderDecel = fleet.Decel[o];
                    leaderFound = true;
                }
            }
        }
    }

    // SUMO's link states from 'A' to 'Z' have priority (MSLink::havePriority).
    private static bool HasPriority(char state) => state is >= 'A' and <= 'Z';

    // SUMO's arrival estimate at a link (getMinimalArrivalTime): from the current speed, accelerate as fast as possible
    // to the speed it may pass with, then hold it; it leaves once its length and the link's have passed.
    private void SetCheckTimes(int i, int link, double seen, double v, double vPlan)
    {
        var accel = fleet.Accel[i];
        var decel = fleet.Decel[i];
        var viaLimit = net.LinkVia[link].Length > 0 ? DesiredSpeed(i, net.LinkVia[link][0]) : DesiredSpeed(i, net.LinkTo[link]);
        var arrivalSpeed = Math.Min(Math.Sqrt((vPlan * vPlan) + (2 * accel * Math.Max(seen, 0))), viaLimit);
        var accelerate = arrivalSpeed >= v ? accel : -decel;
        var accelTime = (arrivalSpeed - v) / accelerate;
        var accelWay = accelTime * (arrivalSpeed + v) * 0.5;
        var arrival = seen <= 0 ? 0 : accelTime + (Math.Max(0, seen - accelWay) / Math.Max(Math.Max(v, arrivalSpeed), CarFollowing.HaltingSpeed));
        var cross = net.LinkLength[link] + fleet.Length[i];
        var leaveSpeed = Math.Min(viaLimit, Math.Sqrt((arrivalSpeed * arrivalSpeed) + (2 * accel * cross)));
        var leave = arrival + (cross / Math.Max(0.5 * (arrivalSpeed + leaveSpeed), CarFollowing.Eps));
        fleet.CheckArrival[i] = Time + arrival;
        fleet.CheckLeave[i] = Time + leave;
    }

    private void RegisterApproaches()
    {
        foreach (var l in touchedLinks)
        {
            approachHead[l] = -1;
        }
        touchedLinks.Clear();
        foreach (var i in running)
        {
            var l = fleet.ApproachLink[i];
            if (l < 0)
            {
                continue;
            }
            if (approachHead[l] < 0)
            {
                touchedLinks.Add(l);
            }
            fleet.ApproachNext[i] = approachHead[l];
            approachHead[l] = i;
        }
    }

    // SUMO's MSLink::opened for a link without priority: no foe it must yield to is in the junction or arrives in the
    // window from ego's arrival to its leaving, widened by the look-ahead time.
    private bool Opened(int i, int link)
    {
        if (fleet.CheckNeedsStop[i] && fleet.Speed[i] > CarFollowing.HaltingSpeed)
        {
            return false;
        }
        var arrival = fleet.CheckArrival[i];
        var leave = fleet.CheckLeave[i];
        var to = net.LinkTo[link];
        var wait = fleet.CheckIsWait[i];
        foreach (var lane in wait ? net.WaitFoeLanes[link] : net.CheckFoeLanes[link])
        {
            var list = laneVehicles[lane];
            if (list.Count == 0)
            {
                continue;
            }
            // A foe blocks until its back has cleared the conflict point; one stopped at its own wait point has not reached it.
            var crossing = net.CrossingOn(link, lane);
            foreach (var o in list)
            {
                if (o != i && fleet.Pos[o] - fleet.Length[o] < crossing + CarFollowing.Eps && !(net.InternalWait[lane] >= 0 && fleet.Speed[o] < CarFollowing.HaltingSpeed))
                {
                    return false;
                }
            }
            foreach (var p in lanePartials[lane])
            {
                if (p.Back < crossing)
                {
                    return false;
                }
            }
        }
        foreach (var foe in wait ? net.WaitFoeLinks[link] : net.CheckFoeLinks[link])
        {
            for (var a = approachHead[foe]; a >= 0; a = fleet.ApproachNext[a])
            {
                if (a == i)
                {
                    continue;
                }
                var foeArrival = fleet.ApproachArrival[a];
                var foeLeave = fleet.ApproachLeave[a];
                if (foeLeave < arrival)
                {
                    if (net.LinkTo[foe] == to && arrival - foeLeave < JunctionLookahead)
                    {
                        return false;
                    }
                }
                else if (foeArrival <= leave + JunctionLookahead)
                {
                    return false;
                }
            }
        }
        return true;
    }

    private void ExecuteVehicle(int i)
    {
        var vPos = fleet.PlanSpeed[i];
        var link = fleet.CheckLink[i];
        if (link >= 0 && !Opened(i, link))
        {
            vPos = Math.Min(vPos, fleet.WaitSpeed[i]);
        }
        // SUMO's finalizeSpeed: bounded by braking, the lane's desired speed and acceleration; Krauss then dawdles.
        var oldV = fleet.Speed[i];
        var lane = fleet.Lane[i];
        var vMinEmergency = Math.Max(oldV - (fleet.EmergencyDecel[i] * dt), 0);
        var vMin = Math.Min(Math.Max(oldV - (fleet.Decel[i] * dt), 0), Math.Max(vPos, vMinEmergency));
        var vMax = Math.Min(Math.Min(DesiredSpeed(i, lane), Math.Min(oldV + (fleet.Accel[i] * dt), fleet.MaxSpeed[i])), vPos);
        vMax = Math.Max(vMin, vMax);
        var vNext = fleet.Idm[i] ? vMax : Math.Max(vMin, CarFollowing.Dawdle(vMax, fleet.Sigma[i], fleet.Accel[i], fleet.NextRandom(i), dt));
        fleet.NextSpeed[i] = vNext;
    }

    private void MoveVehicles(double t)
    {
        var write = 0;
        for (var k = 0; k < running.Count; k++)
        {
            var i = running[k];
            var v = fleet.NextSpeed[i];
            var lane = fleet.Lane[i];
            var oldPos = fleet.Pos[i];
            var pos = oldPos + (v * dt);
            fleet.Speed[i] = v;
            fleet.Odometer[i] += v * dt;
            detectors.Observe(lane, oldPos, pos, v, fleet.Length[i], dt);
            var arrived = false;
            while (true)
            {
                var length = net.LaneLength[lane];
                if (!net.LaneInternal[lane] && fleet.RouteIndex[i] == fleet.Route[i].Length - 1)
                {
                    if (pos > length - PositionEps)
                    {
                        arrived = true;
                    }
                    break;
                }
                if (pos <= length)
                {
                    break;
                }
                var next = NextLaneOnRoute(i, lane, fleet.RouteIndex[i]);
                if (next < 0)
                {
                    pos = length;
                    break;
                }
                laneVehicles[lane].Remove(i);
                fleet.Prev2[i] = fleet.Prev1[i];
                fleet.Prev1[i] = fleet.Prev0[i];
                fleet.Prev0[i] = lane;
                pos -= length;
                if (!net.LaneInternal[next])
                {
                    fleet.RouteIndex[i]++;
                }
                lane = next;
                fleet.Lane[i] = lane;
                fleet.Pos[i] = pos;
                laneVehicles[lane].Add(i);
                if (!entered[lane])
                {
                    entered[lane] = true;
                    enteredLanes.Add(lane);
                }
                detectors.Observe(lane, 0, pos, v, fleet.Length[i], 0);
            }
            fleet.Pos[i] = pos;
            // SUMO's tripinfo statistics: time loss against the desired speed on the lane, waiting below 0.1 m/s.
            var vmax = DesiredSpeed(i, lane);
            if (vmax > 0)
            {
                fleet.TimeLoss[i] += dt * (vmax - v) / vmax;
            }
            if (v <= CarFollowing.HaltingSpeed)
            {
                fleet.WaitingTime[i] += dt;
                fleet.StoppedTime[i] += dt;
                if (!fleet.Waiting[i])
                {
                    fleet.WaitingCount[i]++;
                    fleet.Waiting[i] = true;
                }
            }
            else
            {
                fleet.Waiting[i] = false;
                fleet.StoppedTime[i] = 0;
            }
            if (arrived)
            {
                // SUMO's route length ends at the arrival position, the lane's end.
                fleet.Odometer[i] -= Math.Max(0, pos - net.LaneLength[lane]);
                fleet.Pos[i] = Math.Min(pos, net.LaneLength[lane]);
                laneVehicles[lane].Remove(i);
                Arrive(i, t, lane);
                continue;
            }
            running[write++] = i;
        }
        running.RemoveRange(write, running.Count - write);
        // Entrants were appended; order each such lane by position now that every vehicle has moved.
        foreach (var lane in enteredLanes)
        {
            entered[lane] = false;
            var list = laneVehicles[lane];
            for (var k = 1; k < list.Count; k++)
            {
                var x = list[k];
                var j = k - 1;
                while (j >= 0 && fleet.Pos[list[j]] < fleet.Pos[x])
                {
                    list[j + 1] = list[j];
                    j--;
                }
                list[j + 1] = x;
            }
        }
        enteredLanes.Clear();
    }

    private void RebuildPartials()
    {
        foreach (var l in touchedPartialLanes)
        {
            lanePartials[l].Clear();
        }
        touchedPartialLanes.Clear();
        foreach (var i in running)
        {
            var rest = fleet.Length[i] - fleet.Pos[i];
            if (rest <= 0)
            {
                continue;
            }
            rest = AddPartial(i, fleet.Prev0[i], rest);
            rest = AddPartial(i, fleet.Prev1[i], rest);
            AddPartial(i, fleet.Prev2[i], rest);
        }
        for (var l = 0; l < laneVehicles.Length; l++)
        {
            var list = laneVehicles[l];
            for (var k = 0; k < list.Count; k++)
            {
                fleet.Slot[list[k]] = k;
            }
        }
    }

    private double AddPartial(int i, int lane, double rest)
    {
        if (lane < 0 || rest <= 0)
        {
            return 0;
        }
        var list = lanePartials[lane];
        if (list.Count == 0)
        {
            touchedPartialLanes.Add(lane);
        }
        list.Add(new Partial(i, Math.Max(0, net.LaneLength[lane] - rest)));
        return rest - net.LaneLength[lane];
    }

    // SUMO counts a collision when a follower's front is past its leader's back on the same lane; its default action
    // teleports the follower, here it is counted and the follower is held behind the leader.
    private void DetectCollisions()
    {
        for (var l = 0; l < laneVehicles.Length; l++)
        {
            var list = laneVehicles[l];
            for (var k = 1; k < list.Count; k++)
            {
                var leader = list[k - 1];
                var follower = list[k];
                if (fleet.Pos[leader] - fleet.Length[leader] - fleet.Pos[follower] < -CarFollowing.Eps)
                {
                    collisions++;
                    fleet.Pos[follower] = Math.Max(0, fleet.Pos[leader] - fleet.Length[leader] - CarFollowing.Eps);
                    fleet.Speed[follower] = 0;
                }
            }
        }
    }

    // Returns whether a vehicle was teleported (its lane and position changed).
    private bool Teleport(double t)
    {
        var teleported = false;
        if (options.TimeToTeleport <= 0)
        {
            return teleported;
        }
        for (var k = 0; k < running.Count; k++)
        {
            var i = running[k];
            if (fleet.StoppedTime[i] < options.TimeToTeleport || fleet.Slot[i] != 0)
            {
                continue;
            }
            teleports++;
            teleported = true;
            fleet.StoppedTime[i] = 0;
            var lane = fleet.Lane[i];
            laneVehicles[lane].Remove(i);
            // SUMO moves the vehicle along its route until an edge has room for it.
            var placed = false;
            var route = fleet.Route[i];
            for (var r = fleet.RouteIndex[i] + 1; r < route.Length && !placed; r++)
            {
                foreach (var candidate in net.EdgeLanes[route[r]])
                {
                    var pos = Math.Min(fleet.Length[i] + PositionEps, net.LaneLength[candidate]);
                    if (InsertionSafe(i, candidate, pos, 0))
                    {
                        fleet.RouteIndex[i] = r;
                        fleet.Lane[i] = candidate;
                        fleet.Pos[i] = pos;
                        fleet.Speed[i] = 0;
                        fleet.Prev0[i] = fleet.Prev1[i] = fleet.Prev2[i] = -1;
                        InsertSorted(candidate, i);
                        placed = true;
                        break;
                    }
                }
            }
            if (!placed)
            {
                running.RemoveAt(k--);
                Arrive(i, t, lane);
            }
        }
        return teleported;
    }
}
