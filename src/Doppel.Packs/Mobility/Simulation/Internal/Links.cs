using Doppel.Packs.Mobility.Network;

namespace Doppel.Packs.Mobility.Simulation.Internal;

/// <summary>
/// Where a link's own path meets a foe's internal lane (SUMO's MSLink::getLengthsBeforeCrossing): how far a vehicle
/// entering the link drives before it reaches the conflict point with a foe already inside the junction.
/// </summary>
internal sealed class Links(NetworkModel net)
{
    private readonly Dictionary<long, double> along = [];
    private readonly Lock alongLock = new();

    /// <summary>
    /// The distance along the link's internal lanes, from the start of its internal lane <paramref name="firstVia"/>,
    /// to the first point where they cross <paramref name="foeLane"/>; where they only merge, the rest of the link.
    /// </summary>
    public double Along(int link, int firstVia, int foeLane)
    {
        var key = ((long)link << 36) | ((long)firstVia << 32) | (uint)foeLane;
        lock (alongLock)
        {
            if (along.TryGetValue(key, out var known))
            {
                return known;
            }
        }
        var via = net.LinkVia[link];
        var foe = net.LaneShape[foeLane];
        var result = 0.0;
        var found = false;
        for (var v = firstVia; v < via.Length && !found; v++)
        {
            var own = net.LaneShape[via[v]];
            var geometric = 0.0;
            for (var k = 1; k < own.Length; k++)
            {
                geometric += Distance(own[k - 1], own[k]);
            }
            var scale = geometric > 0 ? net.LaneLength[via[v]] / geometric : 1;
            var travelled = 0.0;
            for (var k = 1; k < own.Length && !found; k++)
            {
                var best = double.MaxValue;
                for (var m = 1; m < foe.Length; m++)
                {
                    if (Intersect(own[k - 1], own[k], foe[m - 1], foe[m], out var t) && t < best)
                    {
                        best = t;
                    }
                }
                if (best < double.MaxValue)
                {
                    result += (travelled + (best * Distance(own[k - 1], own[k]))) * scale;
                    found = true;
                }
                travelled += Distance(own[k - 1], own[k]);
            }
            if (!found)
            {
                result += net.LaneLength[via[v]];
            }
        }
        lock (alongLock)
        {
            along[key] = result;
        }
        return result;
    }

    private static double Distance(Point2 a, Point2 b) => Math.Sqrt(((b.X - a.X) * (b.X - a.X)) + ((b.Y - a.Y) * (b.Y - a.Y)));

    private static bool Intersect(Point2 p1, Point2 p2, Point2 q1, Point2 q2, out double t)
    {
        var rx = p2.X - p1.X;
        var ry = p2.Y - p1.Y;
        var sx = q2.X - q1.X;
        var sy = q2.Y - q1.Y;
        var denominator = (rx * sy) - (ry * sx);
        t = 0;
        if (Math.Abs(denominator) < 1e-12)
        {
            return false;
        }
        t = (((q1.X - p1.X) * sy) - ((q1.Y - p1.Y) * sx)) / denominator;
        var u = (((q1.X - p1.X) * ry) - ((q1.Y - p1.Y) * rx)) / denominator;
        return t >= 0 && t <= 1 && u >= 0 && u <= 1;
    }
}
