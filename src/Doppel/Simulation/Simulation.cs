namespace Doppel.Simulation;

/// <summary>
/// A discrete-event simulation: a clock, a queue of events ordered by time (ties by urgency, then by the order they were
/// scheduled, so runs are deterministic), processes that yield events, and the seeded random numbers the model draws.
/// </summary>
/// <example>
/// <code>
/// var sim = new Simulation(seed: 42);
/// var server = new Resource(sim, capacity: 1);
/// IEnumerable&lt;Event&gt; Customer() { using var request = server.Request(); yield return request; yield return sim.Timeout(sim.Random.Exponential(1)); }
/// </code>
/// </example>
public sealed class Simulation
{
    private readonly Internal.EventQueue _queue = new();
    private readonly Stack<Timeout> _timeouts = new();
    private long _sequence;

    public Simulation(ulong seed, double start = 0)
    {
        Seed = seed;
        Random = new SimRandom(seed);
        Now = start;
    }

    public ulong Seed { get; }

    /// <summary>The current simulated time.</summary>
    public double Now { get; private set; }

    /// <summary>The model's random numbers, owned by this simulation.</summary>
    public SimRandom Random { get; }

    /// <summary>The process whose body is running, or null between events.</summary>
    public Process? ActiveProcess { get; internal set; }

    /// <summary>Events processed so far.</summary>
    public long ProcessedEvents { get; private set; }

    /// <summary>An event <paramref name="delay"/> time units from now.</summary>
    public Timeout Timeout(double delay, object? value = null)
    {
        if (!(delay >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "A delay must be zero or positive.");
        }
        var timeout = _timeouts.Count > 0 ? _timeouts.Pop() : new Timeout(this);
        timeout.Start(delay, value);
        return timeout;
    }

    /// <summary>A pending event the model triggers itself (<see cref="Event.Succeed"/>).</summary>
    public Event Event() => new(this);

    /// <summary>Starts a process now; it runs when the simulation reaches this instant.</summary>
    public Process Process(IEnumerable<Event> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var process = new Process(this, body.GetEnumerator());
        Schedule(process, 0, EventPriority.Urgent);
        return process;
    }

    /// <summary>An event processed once any of <paramref name="events"/> is.</summary>
    public Condition AnyOf(params Event[] events) => new(this, events, all: false);

    /// <summary>An event processed once all of <paramref name="events"/> are.</summary>
    public Condition AllOf(params Event[] events) => new(this, events, all: true);

    /// <summary>Processes events until the queue is empty.</summary>
    public void Run() => Run(double.PositiveInfinity);

    /// <summary>Processes every event before <paramref name="until"/>, then sets the clock to it.</summary>
    public void Run(double until)
    {
        if (until < Now)
        {
            throw new ArgumentOutOfRangeException(nameof(until), until, $"The simulation is already at {Now}.");
        }
        while (_queue.TryPeekTime(out var time) && time < until)
        {
            Step();
        }
        if (!double.IsPositiveInfinity(until))
        {
            Now = until;
        }
    }

    /// <summary>Processes events until <paramref name="stop"/> has been processed (or the queue empties).</summary>
    public void Run(Event stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        while (!stop.IsProcessed && _queue.Count > 0)
        {
            Step();
        }
    }

    /// <summary>Processes the next event.</summary>
    public void Step()
    {
        var (time, e) = _queue.Dequeue();
        Now = time;
        ProcessedEvents++;
        e.Dispatch();
    }

    internal void Schedule(Event e, double delay, EventPriority priority)
    {
        e.MarkTriggered();
        _queue.Enqueue(Now + delay, priority, _sequence++, e);
    }

    internal void Recycle(Timeout timeout) => _timeouts.Push(timeout);
}
