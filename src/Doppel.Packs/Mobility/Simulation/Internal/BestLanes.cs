namespace Doppel.Packs.Mobility.Simulation.Internal;

/// <summary>
/// SUMO's best lanes (MSVehicle::updateBestLanes) of every vehicle for the normal edge it is on: per lane of that edge,
/// the length it can drive along its route from the edge's start without changing lanes (<c>length</c>), the signed
/// number of lanes to cross to reach the lane that goes farthest (<c>bestLaneOffset</c>), and whether the lanes it
/// would follow end where the road goes on. Built once per edge the vehicle enters, over the edges ahead as far as SUMO
/// looks: at least five, at least nine within 3 km, and beyond that as far as the vehicle needs to brake. Also holds the
/// per-vehicle LC2013 state the strategic decision keeps (look-ahead speed) and the lane changes made, by reason.
/// Each vehicle's entries are written only by the thread that changes that vehicle's lanes.
/// </summary>
internal sealed class BestLanes
{
    private readonly NetworkModel net;
    private readonly int maxLanes;

    [ThreadStatic]
    private static Scratch? scratch;

    public BestLanes(NetworkModel net)
    {
        this.net = net;
        maxLanes = Math.Max(1, net.EdgeLanes.Length == 0 ? 1 : net.EdgeLanes.Max(l => l.Length));
    }

    // The route (array and index) each vehicle's table was built for.
    private int[]?[] builtRoute = [];
    private int[] builtIndex = [];

    /// <summary>Per vehicle, per lane index of its edge: the length drivable along the route without a lane change, from the edge's start.</summary>
    public double[][] Length = [];

    /// <summary>Per vehicle, per lane index of its edge: lanes to cross (negative to the right) to the best lane.</summary>
    public int[][] Offset = [];

    /// <summary>Per vehicle, per lane index: whether the lanes followed from there end in a lane that leads on (SUMO's bestContinuations.back() has links).</summary>
    public bool[][] LeadsOn = [];

    /// <summary>
    /// Per vehicle, the lanes beyond its edge that each of its edge's lanes continues into without a lane change
    /// (SUMO's bestContinuations less the first): lane index k's are <c>ContinuationLanes[i][ContinuationStart[i][k]..ContinuationStart[i][k + 1]]</c>.
    /// </summary>
    public int[][] ContinuationLanes = [];

    public int[][] ContinuationStart = [];

    /// <summary>LC2013's look-ahead speed: follows the speed up at once and down with a memory of 0.9 a second.</summary>
    public double[] LookAheadSpeed = [];

    public int[] StrategicChanges = [];
    public int[] SpeedGainChanges = [];
    public int[] KeepRightChanges = [];

    public int Capacity => Length.Length;

    /// <summary>Grows the per-vehicle arrays to hold n vehicles (call outside the parallel phases).</summary>
    public void EnsureCapacity(int n)
    {
        if (n <= Length.Length)
        {
            return;
        }
        var size = Math.Max(n, Length.Length * 2);
        var old = Length.Length;
        Array.Resize(ref builtRoute, size);
        Array.Resize(ref builtIndex, size);
        Array.Resize(ref Length, size);
        Array.Resize(ref Offset, size);
        Array.Resize(ref LeadsOn, size);
        Array.Resize(ref ContinuationLanes, size);
        Array.Resize(ref ContinuationStart, size);
        Array.Resize(ref LookAheadSpeed, size);
        Array.Resize(ref StrategicChanges, size);
        Array.Resize(ref SpeedGainChanges, size);
        Array.Resize(ref KeepRightChanges, size);
        for (var i = old; i < size; i++)
        {
            builtIndex[i] = -1;
        }
    }

    /// <summary>Builds vehicle i's table for the edge at routeIndex of its route unless it is already built for it.</summary>
    public void Update(int i, int[] route, int routeIndex, double maxBrakeDist)
    {
        if (ReferenceEquals(builtRoute[i], route) && builtIndex[i] == routeIndex)
        {
            return;
        }
        builtRoute[i] = route;
        builtIndex[i] = routeIndex;
        if (Length[i] is null)
        {
            Length[i] = new double[maxLanes];
            Offset[i] = new int[maxLanes];
            LeadsOn[i] = new bool[maxLanes];
            ContinuationLanes[i] = new int[4 * maxLanes];
            ContinuationStart[i] = new int[maxLanes + 1];
        }
        Build(route, routeIndex, maxBrakeDist, i);
    }

    /// <summary>Forgets vehicle i's table (its route changed in place or it was teleported).</summary>
    public void Invalidate(int i)
    {
        if (i < builtIndex.Length)
        {
            builtIndex[i] = -1;
            builtRoute[i] = null;
        }
    }

    private void Build(int[] route, int routeIndex, double maxBrakeDist, int i)
    {
        var length = Length[i];
        var offset = Offset[i];
        var leadsOn = LeadsOn[i];
        var s = scratch ??= new Scratch();
        s.Clear();

        // Forward along the route: each edge's lanes with the edge's length, and whether they connect to the next edge.
        var seen = 0;
        var seenLength = 0.0;
        var r = routeIndex;
        while (true)
        {
            var edge = route[r];
            var nextEdge = r + 1 < route.Length ? route[r + 1] : -1;
            var lanes = net.EdgeLanes[edge];
            var edgeLength = net.LaneLength[lanes[0]];
            s.BeginEdge();
            foreach (var lane in lanes)
            {
                var allowed = net.LaneAllowsPassenger[lane];
                s.AddLane(lane, allowed ? edgeLength : 0, nextEdge < 0 || (allowed && net.FindLink(lane, nextEdge) >= 0));
            }
            seen++;
            seenLength += edgeLength;
            r++;
            var progress = (seen <= 4 || seenLength < Math.Max(maxBrakeDist, 3000)) && (seen <= 8 || seenLength < Math.Max(maxBrakeDist, 200));
            if (!progress || r >= route.Length)
            {
                break;
            }
        }

        // The last edge examined: every lane of the greatest length is best, the others point to the nearest of them.
        var edges = s.EdgeCount;
        {
            var (from, to) = s.Lanes(edges - 1);
            var bestLength = -1.0;
            int bestThis = 0, bestMax = 0;
            for (var p = from; p < to; p++)
            {
                if (s.Len[p] > bestLength)
                {
                    bestLength = s.Len[p];
                    bestThis = bestMax = p - from;
                }
                else if (s.Len[p] == bestLength)
                {
                    bestMax = p - from;
                }
            }
            SetOffsets(s, from, to, bestThis, bestMax, p => s.Len[p] < bestLength, lastEdge: true);
        }

        // Backwards: a lane's length adds the best connected lane's on the next edge, and the best lanes are chosen by
        // length, then fewest further lanes to cross, then the priority of the next link.
        for (var k = edges - 2; k >= 0; k--)
        {
            var (from, to) = s.Lanes(k);
            var (nextFrom, nextTo) = s.Lanes(k + 1);
            var bestConnectedLength = -1.0;
            var bestLength = -1.0;
            for (var m = nextFrom; m < nextTo; m++)
            {
                if (bestConnectedLength < s.Len[m] && ApproachedFrom(s, from, to, s.Lane[m]))
                {
                    bestConnectedLength = s.Len[m];
                }
                bestLength = Math.Max(bestLength, s.Len[m]);
            }
            if (bestConnectedLength <= 0)
            {
                // A disconnected route: nothing ahead is reachable from this edge; leave its lanes as they are.
                continue;
            }
            int bestThis = 0, bestMax = 0;
            for (var p = from; p < to; p++)
            {
                var next = -1;
                if (s.Cont[p])
                {
                    for (var m = nextFrom; m < nextTo; m++)
                    {
                        if (net.LaneAllowsPassenger[s.Lane[m]] && Links(s.Lane[p], s.Lane[m])
                            && (next < 0 || s.Len[next] < s.Len[m] || (s.Len[next] == s.Len[m] && Math.Abs(s.Off[next]) > Math.Abs(s.Off[m]))))
                        {
                            next = m;
                        }
                    }
                    if (next >= 0)
                    {
                        s.Len[p] += s.Len[next] == bestConnectedLength && Math.Abs(s.Off[next]) < 2 ? bestLength : s.Len[next];
                        s.Off[p] = s.Off[next];
                    }
                }
                if (next >= 0 && (s.Cont[next] || s.Len[next] > 0))
                {
                    s.Next[p] = next;
                    s.End[p] = s.End[next];
                    s.Prio[p] = Priority(s.Lane[p], s.Lane[next]);
                }
                else
                {
                    s.Cont[p] = false;
                }
                var b = from + bestThis;
                if (s.Len[b] < s.Len[p]
                    || (s.Len[b] == s.Len[p] && Math.Abs(s.Off[b]) > Math.Abs(s.Off[p]))
                    || (s.Len[b] == s.Len[p] && Math.Abs(s.Off[b]) == Math.Abs(s.Off[p]) && s.Prio[b] < s.Prio[p]))
                {
                    bestThis = bestMax = p - from;
                }
                else if (s.Len[b] == s.Len[p] && Math.Abs(s.Off[b]) == Math.Abs(s.Off[p]) && s.Prio[b] == s.Prio[p])
                {
                    bestMax = p - from;
                }
            }
            var best = from + bestThis;
            SetOffsets(s, from, to, bestThis, bestMax,
                p => s.Len[p] < s.Len[best] || (s.Len[p] == s.Len[best] && Math.Abs(s.Off[p]) > Math.Abs(s.Off[best])) || s.Prio[p] < s.Prio[best],
                lastEdge: false, bestPrio: s.Prio[best]);
        }

        var (first, end) = s.Lanes(0);
        var continuation = ContinuationLanes[i];
        var start = ContinuationStart[i];
        var count = 0;
        for (var p = first; p < end; p++)
        {
            length[p - first] = s.Len[p];
            offset[p - first] = s.Off[p];
            leadsOn[p - first] = net.LaneLinks[s.Lane[s.End[p]]].Length > 0;
            start[p - first] = count;
            for (var q = s.Next[p]; q >= 0; q = s.Next[q])
            {
                if (count == continuation.Length)
                {
                    Array.Resize(ref continuation, continuation.Length * 2);
                    ContinuationLanes[i] = continuation;
                }
                continuation[count++] = s.Lane[q];
            }
        }
        start[end - first] = count;
    }

    // A lane worse than the best points to the nearer of the best lanes; lanes that cannot reach them (a lane between
    // that the vehicle may not use) count as not drivable beyond their own edge.
    private void SetOffsets(Scratch s, int from, int to, int bestThis, int bestMax, Func<int, bool> worse, bool lastEdge, int bestPrio = -1)
    {
        var rightForbidden = false;
        var leftForbidden = -1;
        for (var p = from; p < to; p++)
        {
            var index = p - from;
            if (!worse(p))
            {
                s.Off[p] = 0;
                continue;
            }
            s.Off[p] = Math.Abs(bestThis - index) < Math.Abs(bestMax - index) ? bestThis - index : bestMax - index;
            if (!lastEdge && s.Prio[p] < bestPrio)
            {
                // Move away from the lane with the lower-priority link before it ends.
                s.Len[p] = s.CurrentLen[p];
            }
            if (s.Off[p] < 0 && (!net.LaneAllowsPassenger[s.Lane[p - 1]] || rightForbidden))
            {
                rightForbidden = true;
                if (lastEdge || s.Len[p] == s.CurrentLen[p])
                {
                    s.Len[p] = 0;
                }
            }
            else if (s.Off[p] > 0 && !net.LaneAllowsPassenger[s.Lane[p + 1]])
            {
                leftForbidden = index;
            }
        }
        for (var index = leftForbidden; index >= 0; index--)
        {
            if (lastEdge || s.Len[from + index] == s.CurrentLen[from + index])
            {
                s.Len[from + index] = 0;
            }
        }
    }

    private bool ApproachedFrom(Scratch s, int from, int to, int lane)
    {
        for (var p = from; p < to; p++)
        {
            if (Links(s.Lane[p], lane))
            {
                return true;
            }
        }
        return false;
    }

    private bool Links(int from, int to)
    {
        foreach (var link in net.LaneLinks[from])
        {
            if (net.LinkTo[link] == to)
            {
                return true;
            }
        }
        return false;
    }

    // SUMO's nextLinkPriority: 1 when the link to the next lane of the continuation has priority now (its state is upper case).
    private int Priority(int from, int to)
    {
        foreach (var link in net.LaneLinks[from])
        {
            if (net.LinkTo[link] == to)
            {
                return char.IsUpper(net.State(link)) ? 1 : 0;
            }
        }
        return -1;
    }

    // The lanes of the edges ahead, flat: edge k's lanes are [EdgeStart[k], EdgeStart[k + 1]).
    private sealed class Scratch
    {
        public int[] Lane = new int[64];
        public double[] Len = new double[64];
        public double[] CurrentLen = new double[64];
        public int[] Off = new int[64];
        public bool[] Cont = new bool[64];
        public int[] Next = new int[64];
        public int[] End = new int[64];
        public int[] Prio = new int[64];
        private int[] edgeStart = new int[16];
        private int count;

        public int EdgeCount { get; private set; }

        public void Clear()
        {
            count = 0;
            EdgeCount = 0;
        }

        public void BeginEdge()
        {
            if (EdgeCount + 2 > edgeStart.Length)
            {
                Array.Resize(ref edgeStart, edgeStart.Length * 2);
            }
            edgeStart[EdgeCount++] = count;
            edgeStart[EdgeCount] = count;
        }

        public void AddLane(int lane, double length, bool continues)
        {
            if (count == Lane.Length)
            {
                var n = count * 2;
                Array.Resize(ref Lane, n);
                Array.Resize(ref Len, n);
                Array.Resize(ref CurrentLen, n);
                Array.Resize(ref Off, n);
                Array.Resize(ref Cont, n);
                Array.Resize(ref Next, n);
                Array.Resize(ref End, n);
                Array.Resize(ref Prio, n);
            }
            Lane[count] = lane;
            Len[count] = length;
            CurrentLen[count] = length;
            Off[count] = 0;
            Cont[count] = continues;
            Next[count] = -1;
            End[count] = count;
            Prio[count] = -1;
            count++;
            edgeStart[EdgeCount] = count;
        }

        public (int From, int To) Lanes(int k) => (edgeStart[k], edgeStart[k + 1]);
    }
}
