namespace Doppel.Simulation;

/// <summary>
/// A resource with a capacity (machines, servers, a repair crew). Requests are served by priority (lower first), then in
/// arrival order; a preemptive request may take the resource from a user of lower priority, whose process is interrupted
/// with a <see cref="Preempted"/> cause.
/// </summary>
public sealed class Resource
{
    private readonly Simulation _simulation;
    private readonly List<Request> _users = [];
    private readonly PriorityQueue<Request, (int Priority, long Sequence)> _queue = new();
    private long _sequence;

    public Resource(Simulation simulation, int capacity = 1)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _simulation = simulation;
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Requests holding the resource now.</summary>
    public int Count => _users.Count;

    /// <summary>Requests waiting.</summary>
    public int QueueLength => _queue.Count;

    public IReadOnlyList<Request> Users => _users;

    /// <summary>Asks for one unit; yield the request to wait for it, dispose it (or <see cref="Release"/>) to give it back.</summary>
    /// <param name="priority">Lower is served first.</param>
    /// <param name="preempt">Take the unit from the user of lowest priority when that is lower than this one's.</param>
    public Request Request(int priority = 0, bool preempt = false)
    {
        var request = new Request(_simulation, this, priority, preempt, _sequence++);
        if (_users.Count < Capacity && _queue.Count == 0)
        {
            Grant(request);
        }
        else if (preempt && Victim(priority) is { } victim)
        {
            _users.Remove(victim);
            victim.Owner?.Interrupt(new Preempted(request.Owner, victim.GrantedAt));
            Grant(request);
        }
        else
        {
            _queue.Enqueue(request, (priority, request.Sequence));
        }
        return request;
    }

    /// <summary>Gives a unit back (or withdraws a waiting request), then serves the queue.</summary>
    public void Release(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_users.Remove(request))
        {
            _queue.Remove(request, out _, out _);
            return;
        }
        while (_users.Count < Capacity && _queue.TryDequeue(out var next, out _))
        {
            Grant(next);
        }
    }

    private void Grant(Request request)
    {
        _users.Add(request);
        request.GrantedAt = _simulation.Now;
        request.Succeed(request);
    }

    // The user with the lowest priority (highest number), latest granted first, when it ranks below the newcomer.
    private Request? Victim(int priority)
    {
        Request? victim = null;
        foreach (var user in _users)
        {
            if (user.Priority > priority && (victim is null || user.Priority > victim.Priority || (user.Priority == victim.Priority && user.Sequence > victim.Sequence)))
            {
                victim = user;
            }
        }
        return victim;
    }
}

/// <summary>A request for a <see cref="Resource"/>: processed when granted; dispose to release.</summary>
public sealed class Request : Event, IDisposable
{
    internal Request(Simulation simulation, Resource resource, int priority, bool preempt, long sequence)
        : base(simulation)
    {
        Resource = resource;
        Priority = priority;
        Preempt = preempt;
        Sequence = sequence;
        Owner = simulation.ActiveProcess;
        RequestedAt = simulation.Now;
    }

    public Resource Resource { get; }

    public int Priority { get; }

    public bool Preempt { get; }

    /// <summary>The process that asked (interrupted if the request is preempted).</summary>
    public Process? Owner { get; }

    public double RequestedAt { get; }

    public double GrantedAt { get; internal set; } = double.NaN;

    internal long Sequence { get; }

    public void Dispose() => Resource.Release(this);
}

/// <summary>The interrupt cause of a process whose request was preempted.</summary>
/// <param name="By">The process that took the resource.</param>
/// <param name="UsageSince">When the preempted request had been granted.</param>
public sealed record Preempted(Process? By, double UsageSince);
