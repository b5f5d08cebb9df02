using System.Diagnostics;
using System.Runtime.InteropServices;
using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Simulation.Internal;

namespace Doppel.Packs.Mobility.Simulation;

/// <summary>
/// A microscopic traffic simulation with SUMO's semantics: vehicles follow their routes lane by lane (internal lanes
/// inside junctions included) with Krauss or IDM car following, change lanes strategically and for speed (LC2013-like),
/// obey signals and the junctions' right of way, are inserted and teleported as SUMO does, and record SUMO's tripinfo.
/// Every step plans all vehicles, registers their approaches at junctions, then moves them. Planning, the junction
/// checks and lane changes (edge by edge) may run on several threads: each reads only what no other chunk of the phase
/// writes, so any thread count gives the same result; each phase runs in parallel only where that measured faster.
/// </summary>
public sealed partial class TrafficSimulation
{
    private readonly NetworkModel net;
    private readonly TrafficOptions options;
    private readonly double dt;
    private readonly Fleet fleet;
    private readonly Dictionary<string, VehicleType> types;
    private readonly bool[] closedEdges;
    private readonly List<int>[] laneVehicles;
    private readonly List<Partial>[] lanePartials;
    private readonly List<int> touchedPartialLanes = [];
    private readonly double[] laneBrutto;
    private readonly bool[] laneHalted;
    private readonly bool[] entered;
    private readonly List<int> enteredLanes = [];
    private readonly int[] approachHead;
    private readonly List<int> touchedLinks = [];
    private readonly List<int> running = [];
    private readonly List<int> pending = [];
    private readonly List<TripInfo> trips = [];
    private readonly List<SummaryStep> summary = [];
    private readonly List<TrafficFrame> frames = [];
    private readonly DetectorSet detectors;
    private readonly BestLanes bestLanes;
    private readonly HashSet<int> blockedInsertEdges = [];
    private readonly StepWorkers? workers;
    private readonly ParallelChoice planChoice = new();
    private readonly ParallelChoice executeChoice = new();
    private readonly ParallelChoice changeChoice = new();
    private readonly Stopwatch clock = new();
    private readonly Action<int> planVehicle;
    private readonly Action<int> executeVehicle;
    private readonly Action<int> updateChunk;
    private readonly Action<int> changeChunk;
    private readonly int[] edgeStart;
    private readonly int[] chunkEnd;
    private int[] byEdge = [];
    private Action<int>? currentUpdate;
    private double nextFrame;
    private int collisions;
    private int teleports;
    private int inserted;
    private double durationSum;

    /// <summary>Builds a simulation of the demand on the network; throws <see cref="ArgumentException"/> for options or demand it cannot run (see <see cref="Create"/>).</summary>
    public TrafficSimulation(RoadNetwork network, TrafficDemand demand, TrafficOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(demand);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.StepLength > 0 && options.StepLength <= 10))
        {
            throw new ArgumentException($"The step length must be in (0, 10] s, not {options.StepLength}.", nameof(options));
        }
        if (options.Threads < 1)
        {
            throw new ArgumentException($"Threads must be at least 1, not {options.Threads}.", nameof(options));
        }
        this.options = options;
        dt = options.StepLength;
        net = new NetworkModel(network);
        types = new Dictionary<string, VehicleType>(demand.Types, StringComparer.Ordinal);
        closedEdges = new bool[net.EdgeId.Length];
        laneVehicles = new List<int>[net.LaneCount];
        lanePartials = new List<Partial>[net.LaneCount];
        for (var i = 0; i < net.LaneCount; i++)
        {
            laneVehicles[i] = [];
            lanePartials[i] = [];
        }
        laneBrutto = new double[net.LaneCount];
        laneHalted = new bool[net.LaneCount];
        entered = new bool[net.LaneCount];
        approachHead = new int[net.LinkCount];
        Array.Fill(approachHead, -1);
        fleet = new Fleet(Math.Max(16, demand.Vehicles.Count));
        detectors = new DetectorSet(net, options.Detectors, options.Begin);
        bestLanes = new BestLanes(net);
        workers = options.Threads > 1 ? new StepWorkers(options.Threads) : null;
        planVehicle = PlanVehicle;
        executeVehicle = ExecuteVehicle;
        updateChunk = UpdateChunk;
        changeChunk = ChangeChunk;
        edgeStart = new int[net.EdgeId.Length + 1];
        chunkEnd = new int[Chunks];
        Time = options.Begin;
        nextFrame = options.Begin;
        AddVehicles(demand.Vehicles);
    }

    /// <summary>Builds a simulation, or says which option, type or route it cannot run.</summary>
    public static Result<TrafficSimulation> Create(RoadNetwork network, TrafficDemand demand, TrafficOptions options)
    {
        try
        {
            return Result<TrafficSimulation>.Ok(new TrafficSimulation(network, demand, options));
        }
        catch (ArgumentException e)
        {
            return Result<TrafficSimulation>.Fail("traffic.invalid", e.Message);
        }
    }

    /// <summary>The simulation time in seconds: the next step simulates this moment.</summary>
    public double Time { get; private set; }

    /// <summary>Whether the end is reached, or no vehicle runs or waits to depart (when no end was given).</summary>
    public bool IsFinished => options.End is { } end ? Time > end + 1e-9 : Time > options.Begin && running.Count == 0 && pending.Count == 0;

    /// <summary>Completed detector intervals so far, in order.</summary>
    public IReadOnlyList<DetectorInterval> DetectorIntervals => detectors.Intervals;

    /// <summary>Vehicle-steps simulated so far (the speed unit).</summary>
    public long VehicleUpdates { get; private set; }

    /// <summary>Vehicles that collided so far (a follower's front past its leader's back on one lane).</summary>
    public int Collisions => collisions;

    /// <summary>Vehicles teleported so far after standing longer than <see cref="TrafficOptions.TimeToTeleport"/>.</summary>
    public int Teleports => teleports;

    /// <summary>Trips of vehicles that arrived so far.</summary>
    public IReadOnlyList<TripInfo> Trips => trips;

    /// <summary>Runs every phase that can run in parallel in parallel, rather than where it measured faster (for tests: the result must not change).</summary>
    internal bool AlwaysParallel
    {
        get => planChoice.AlwaysParallel;
        set => planChoice.AlwaysParallel = executeChoice.AlwaysParallel = changeChoice.AlwaysParallel = value;
    }

    /// <summary>Runs until the end or until every vehicle has arrived.</summary>
    public TrafficResult Run(CancellationToken ct = default)
    {
        while (!IsFinished)
        {
            ct.ThrowIfCancellationRequested();
            Step();
        }
        return Result();
    }

    /// <summary>What the run has produced so far.</summary>
    public TrafficResult Result() => new([.. trips], [.. summary], [.. detectors.Intervals], [.. frames], collisions, teleports, VehicleUpdates, Time - dt, clock.Elapsed)
    {
        LaneChanges = LaneChanges,
    };

    /// <summary>Closes an edge: no vehicle enters it, and vehicles whose remaining route uses it are rerouted around it when they can be.</summary>
    public void CloseEdge(string edgeId)
    {
        if (!net.EdgeIndex.TryGetValue(edgeId, out var e) || net.EdgeInternal[e])
        {
            throw new ArgumentException($"No normal edge '{edgeId}' in the network.", nameof(edgeId));
        }
        closedEdges[e] = true;
        foreach (var list in new[] { running, pending })
        {
            foreach (var i in list)
            {
                Reroute(i);
            }
        }
    }

    /// <summary>Replaces the program of the signal with the program's id.</summary>
    public void SetSignalProgram(SignalProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        net.SetProgram(program);
    }

    /// <summary>More demand; each vehicle departs at its time (now at the earliest).</summary>
    public void AddVehicles(IEnumerable<VehicleDemand> vehicles)
    {
        ArgumentNullException.ThrowIfNull(vehicles);
        var added = false;
        foreach (var v in vehicles)
        {
            pending.Add(AddVehicle(v));
            added = true;
        }
        if (added)
        {
            // SUMO inserts in depart order, then load order.
            pending.Sort((a, b) => fleet.DesiredDepart[a] != fleet.DesiredDepart[b] ? fleet.DesiredDepart[a].CompareTo(fleet.DesiredDepart[b]) : a.CompareTo(b));
        }
    }

    /// <summary>Puts a vehicle on the road now (a live state): on the lane at the position with the speed; its route starts at the lane's edge.</summary>
    public void Insert(VehicleDemand vehicle, string laneId, double position, double speed)
    {
        ArgumentNullException.ThrowIfNull(vehicle);
        if (!net.LaneIndexById.TryGetValue(laneId, out var lane) || net.LaneInternal[lane])
        {
            throw new ArgumentException($"No normal lane '{laneId}' in the network.", nameof(laneId));
        }
        var i = AddVehicle(vehicle);
        if (net.LaneEdge[lane] != fleet.Route[i][0])
        {
            throw new ArgumentException($"Vehicle '{vehicle.Id}': its route starts at '{net.EdgeId[fleet.Route[i][0]]}', not at lane '{laneId}''s edge.", nameof(vehicle));
        }
        var pos = Math.Clamp(position, 0, net.LaneLength[lane]);
        Place(i, lane, pos, Math.Max(0, speed), Time);
    }

    /// <summary>One step of <see cref="TrafficOptions.StepLength"/>: signals, car following and junctions, moves, lane changes, teleports, insertion.</summary>
    public void Step()
    {
        clock.Start();
        var t = Time;
        net.UpdateSignals(t);
        if (running.Count > 0)
        {
            PrepareStep();
            ForEachRunning(planVehicle, planChoice);
            RegisterApproaches();
            ForEachRunning(executeVehicle, executeChoice);
            VehicleUpdates += running.Count;
            MoveVehicles(t);
            RebuildPartials();
            var collided = collisions;
            DetectCollisions();
            ChangeLanesByEdge();
            // Lane changes keep slots and partial occupations up to date; a collision's correction or a teleport does not.
            if (Teleport(t) || collisions != collided)
            {
                RebuildPartials();
            }
        }
        Insert(t);
        RecordSummary(t);
        detectors.Close(t + dt);
        if (options.FramePeriod is { } period && t + 1e-9 >= nextFrame)
        {
            frames.Add(Frame());
            nextFrame += period;
        }
        Time = t + dt;
        clock.Stop();
    }

    // Updates every running vehicle; each update writes only its own vehicle's fields, so chunks may run on any thread.
    private void ForEachRunning(Action<int> update, ParallelChoice choice)
    {
        var count = running.Count;
        if (options.Threads <= 1 || count < ParallelThreshold)
        {
            for (var k = 0; k < count; k++)
            {
                update(running[k]);
            }
            return;
        }
        if (choice.Begin(count))
        {
            currentUpdate = update;
            workers!.For(Chunks, updateChunk);
            currentUpdate = null;
        }
        else
        {
            for (var k = 0; k < count; k++)
            {
                update(running[k]);
            }
        }
        choice.End();
    }

    // Lane changes are SUMO's sequential pass in load order, but a vehicle changes only between its own edge's lanes and
    // reads beyond them only internal lanes (NetworkModel.LaneChangesIndependentPerEdge): so the vehicles are grouped
    // by edge (load order kept within each) and whole edges are spread over the threads, the same result as one pass.
    private void ChangeLanesByEdge()
    {
        bestLanes.EnsureCapacity(fleet.Count);
        var count = running.Count;
        if (options.Threads <= 1 || count < ParallelThreshold || !net.LaneChangesIndependentPerEdge)
        {
            ChangeLanes(CollectionsMarshal.AsSpan(running));
            return;
        }
        if (!changeChoice.Begin(count))
        {
            ChangeLanes(CollectionsMarshal.AsSpan(running));
            changeChoice.End();
            return;
        }
        // A stable counting sort of the running vehicles by edge.
        Array.Clear(edgeStart);
        foreach (var i in running)
        {
            edgeStart[net.LaneEdge[fleet.Lane[i]] + 1]++;
        }
        for (var e = 1; e < edgeStart.Length; e++)
        {
            edgeStart[e] += edgeStart[e - 1];
        }
        if (byEdge.Length < count)
        {
            byEdge = new int[Math.Max(count, byEdge.Length * 2)];
        }
        foreach (var i in running)
        {
            byEdge[edgeStart[net.LaneEdge[fleet.Lane[i]]]++] = i;
        }
        // edgeStart[e] is now where edge e's vehicles end; chunks of about equal size end at edge boundaries.
        var chunks = Chunks;
        var edge = 0;
        chunkEnd[chunks - 1] = count;
        for (var c = 0; c < chunks - 1; c++)
        {
            var target = (int)((long)count * (c + 1) / chunks);
            while (edge < edgeStart.Length - 1 && edgeStart[edge] < target)
            {
                edge++;
            }
            chunkEnd[c] = Math.Min(edgeStart[edge], count);
        }
        workers!.For(chunks, changeChunk);
        changeChoice.End();
    }

    private void ChangeChunk(int chunk)
    {
        var from = chunk == 0 ? 0 : chunkEnd[chunk - 1];
        var to = chunkEnd[chunk];
        if (to > from)
        {
            ChangeLanes(byEdge.AsSpan(from, to - from));
        }
    }

    private void UpdateChunk(int chunk)
    {
        var count = running.Count;
        var chunks = Chunks;
        var from = (int)((long)count * chunk / chunks);
        var to = (int)((long)count * (chunk + 1) / chunks);
        var update = currentUpdate!;
        for (var k = from; k < to; k++)
        {
            update(running[k]);
        }
    }

    // Chunks per parallel phase: enough that a thread delayed by the machine's other work holds up little of it.
    private int Chunks => options.Threads * 8;

    // Below this many vehicles a parallel update costs more than it saves.
    private const int ParallelThreshold = 128;

    private readonly record struct Partial(int Vehicle, double Back);
}
