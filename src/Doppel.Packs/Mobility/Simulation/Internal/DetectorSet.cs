using Doppel.Packs.Mobility.Network;

namespace Doppel.Packs.Mobility.Simulation.Internal;

/// <summary>Induction loops as SUMO's e1 detectors: vehicles whose front passes the position, their speeds, and the time the loop is covered, per period.</summary>
internal sealed class DetectorSet
{
    private readonly InductionLoop[] loops;
    private readonly int[] lane;
    private readonly int[][] byLane;
    private readonly int[] count;
    private readonly double[] speedSum;
    private readonly double[] occupied;
    private readonly double[] begin;
    private readonly List<DetectorInterval> intervals = [];

    public DetectorSet(NetworkModel net, IReadOnlyList<InductionLoop> detectors, double start)
    {
        loops = [.. detectors];
        lane = new int[loops.Length];
        var lists = Enumerable.Range(0, net.LaneCount).Select(_ => new List<int>()).ToArray();
        for (var d = 0; d < loops.Length; d++)
        {
            if (!net.LaneIndexById.TryGetValue(loops[d].Lane, out var l))
            {
                throw new ArgumentException($"Detector '{loops[d].Id}' is on lane '{loops[d].Lane}', which is not in the network.");
            }
            if (!(loops[d].Period > 0))
            {
                throw new ArgumentException($"Detector '{loops[d].Id}' has period {loops[d].Period}; it must be positive.");
            }
            lane[d] = l;
            lists[l].Add(d);
        }
        byLane = [.. lists.Select(l => l.ToArray())];
        count = new int[loops.Length];
        speedSum = new double[loops.Length];
        occupied = new double[loops.Length];
        begin = new double[loops.Length];
        Array.Fill(begin, start);
    }

    public IReadOnlyList<DetectorInterval> Intervals => intervals;

    /// <summary>A vehicle moved on the lane from one position to another at speed v in a step of dt.</summary>
    public void Observe(int laneIndex, double from, double to, double v, double length, double dt)
    {
        var list = byLane[laneIndex];
        for (var k = 0; k < list.Length; k++)
        {
            var d = list[k];
            var at = PositionOn(d);
            if (from < at && to >= at)
            {
                count[d]++;
                speedSum[d] += v;
            }
            if (dt > 0 && to >= at && to - length <= at)
            {
                occupied[d] += dt;
            }
        }
    }

    private double PositionOn(int d) => loops[d].Position;

    /// <summary>Closes every interval that ends by time t.</summary>
    public void Close(double t)
    {
        for (var d = 0; d < loops.Length; d++)
        {
            var period = loops[d].Period;
            while (begin[d] + period <= t + 1e-9)
            {
                var n = count[d];
                intervals.Add(new DetectorInterval(loops[d].Id, begin[d], begin[d] + period, n, n * 3600 / period, 100 * Math.Min(occupied[d], period) / period, n > 0 ? speedSum[d] / n : -1));
                begin[d] += period;
                count[d] = 0;
                speedSum[d] = 0;
                occupied[d] = 0;
            }
        }
    }
}
