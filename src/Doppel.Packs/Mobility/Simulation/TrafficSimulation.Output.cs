using Doppel.Packs.Mobility.Simulation.Internal;

namespace Doppel.Packs.Mobility.Simulation;

/// <summary>Trips, the per-step summary and frames, with SUMO's definitions.</summary>
public sealed partial class TrafficSimulation
{
    private void Arrive(int i, double t, int lane)
    {
        fleet.Status[i] = 2;
        var depart = fleet.Depart[i];
        var duration = t - depart;
        durationSum += duration;
        trips.Add(new TripInfo(fleet.Id[i], fleet.TypeId[i], depart, depart - fleet.DesiredDepart[i], t, duration,
            fleet.Odometer[i],
            fleet.WaitingTime[i], fleet.WaitingCount[i], fleet.TimeLoss[i], fleet.DepartLaneId[i], net.LaneId[lane])
        {
            DepartPos = fleet.InsertedPos[i],
            DepartSpeed = fleet.InsertedSpeed[i],
            // SUMO's arrival position defaults to the lane's end; a vehicle that drove past it arrived there.
            ArrivalPos = Math.Min(fleet.Pos[i], net.LaneLength[lane]),
            ArrivalSpeed = fleet.Speed[i],
            SpeedFactor = fleet.SpeedFactor[i],
            RerouteCount = fleet.RerouteCount[i],
        });
    }

    private void RecordSummary(double t)
    {
        var halting = 0;
        var speedSum = 0.0;
        var waitingSum = 0.0;
        foreach (var i in running)
        {
            if (fleet.Speed[i] < CarFollowing.HaltingSpeed)
            {
                halting++;
            }
            speedSum += fleet.Speed[i];
            waitingSum += fleet.StoppedTime[i];
        }
        var waiting = 0;
        foreach (var i in pending)
        {
            if (fleet.DesiredDepart[i] <= t + 1e-9)
            {
                waiting++;
            }
            else
            {
                break;
            }
        }
        var loaded = fleet.Count;
        var arrived = trips.Count;
        summary.Add(new SummaryStep(t, loaded, inserted, running.Count, waiting, arrived, arrived, collisions, teleports, halting,
            running.Count > 0 ? waitingSum / running.Count : 0, arrived > 0 ? durationSum / arrived : -1, running.Count > 0 ? speedSum / running.Count : -1));
    }

    /// <summary>The network now: every running vehicle with its place and speed, and every normal edge's load.</summary>
    public TrafficFrame Frame()
    {
        var vehicles = new List<VehicleView>(running.Count);
        foreach (var i in running)
        {
            var lane = fleet.Lane[i];
            var (x, y, angle) = Locate(net.LaneShape[lane], fleet.Pos[i] * ShapeScale(lane));
            vehicles.Add(new VehicleView(fleet.Id[i], net.LaneId[lane], fleet.Pos[i], x, y, angle, fleet.Speed[i]));
        }
        var edges = new List<EdgeView>();
        for (var e = 0; e < net.EdgeId.Length; e++)
        {
            if (net.EdgeInternal[e])
            {
                continue;
            }
            var count = 0;
            var halting = 0;
            var speed = 0.0;
            foreach (var lane in net.EdgeLanes[e])
            {
                foreach (var i in laneVehicles[lane])
                {
                    count++;
                    speed += fleet.Speed[i];
                    if (fleet.Speed[i] < CarFollowing.HaltingSpeed)
                    {
                        halting++;
                    }
                }
            }
            edges.Add(new EdgeView(net.EdgeId[e], count, count > 0 ? speed / count : net.LaneSpeed[net.EdgeLanes[e][0]], halting));
        }
        return new TrafficFrame(Time, vehicles, edges);
    }

    // SUMO's lane length may differ from its shape's; positions are scaled onto the shape.
    private double ShapeScale(int lane)
    {
        var shape = net.LaneShape[lane];
        var geometric = 0.0;
        for (var k = 1; k < shape.Length; k++)
        {
            geometric += Math.Sqrt(Math.Pow(shape[k].X - shape[k - 1].X, 2) + Math.Pow(shape[k].Y - shape[k - 1].Y, 2));
        }
        return geometric > 0 ? geometric / net.LaneLength[lane] : 1;
    }

    private static (double X, double Y, double Angle) Locate(Network.Point2[] shape, double distance)
    {
        if (shape.Length == 0)
        {
            return (0, 0, 0);
        }
        for (var k = 1; k < shape.Length; k++)
        {
            var dx = shape[k].X - shape[k - 1].X;
            var dy = shape[k].Y - shape[k - 1].Y;
            var length = Math.Sqrt((dx * dx) + (dy * dy));
            if (distance <= length || k == shape.Length - 1)
            {
                var f = length > 0 ? Math.Clamp(distance / length, 0, 1) : 0;
                // SUMO's angle: degrees clockwise from north.
                var angle = (90 - (Math.Atan2(dy, dx) * 180 / Math.PI) + 360) % 360;
                return (shape[k - 1].X + (f * dx), shape[k - 1].Y + (f * dy), angle);
            }
            distance -= length;
        }
        return (shape[0].X, shape[0].Y, 0);
    }
}
