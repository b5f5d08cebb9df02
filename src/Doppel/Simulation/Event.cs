using System.Runtime.CompilerServices;

namespace Doppel.Simulation;

/// <summary>
/// Something that happens at a point of simulated time: processes yield events and resume once they are processed.
/// An event is pending, then triggered (scheduled with a value), then processed (its waiters have been resumed).
/// </summary>
public class Event
{
    // One waiter covers almost every event (the process that yielded it); more go to the overflow list.
    private IEventWaiter? _waiter;
    private List<IEventWaiter>? _more;

    internal Event(Simulation simulation)
    {
        Simulation = simulation;
    }

    public Simulation Simulation { get; }

    public EventState State { get; internal set; }

    /// <summary>What the event carries once triggered (a store's item, a condition's events, ...).</summary>
    public object? Value { get; internal set; }

    /// <summary>False when the event failed; <see cref="Failure"/> says why.</summary>
    public bool Ok { get; private set; } = true;

    public Exception? Failure { get; private set; }

    public bool IsTriggered => State != EventState.Pending;

    public bool IsProcessed => State == EventState.Processed;

    /// <summary>Triggers the event now; its waiters resume when the simulation reaches it in the queue.</summary>
    public void Succeed(object? value = null)
    {
        if (State != EventState.Pending)
        {
            throw new InvalidOperationException($"{GetType().Name} has already been triggered.");
        }
        Value = value;
        Simulation.Schedule(this, 0, EventPriority.Normal);
    }

    /// <summary>Triggers the event as failed; a process waiting for it fails too unless it handles it.</summary>
    public void Fail(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (State != EventState.Pending)
        {
            throw new InvalidOperationException($"{GetType().Name} has already been triggered.");
        }
        Ok = false;
        Failure = failure;
        Simulation.Schedule(this, 0, EventPriority.Normal);
    }

    /// <summary>Runs <paramref name="callback"/> when the event is processed (at once, if it already was).</summary>
    public void OnProcessed(Action<Event> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (IsProcessed)
        {
            callback(this);
            return;
        }
        AddWaiter(new CallbackWaiter(callback));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AddWaiter(IEventWaiter waiter)
    {
        if (_waiter is null)
        {
            _waiter = waiter;
        }
        else
        {
            (_more ??= []).Add(waiter);
        }
    }

    internal void RemoveWaiter(IEventWaiter waiter)
    {
        if (ReferenceEquals(_waiter, waiter))
        {
            _waiter = null;
            if (_more is { Count: > 0 })
            {
                _waiter = _more[0];
                _more.RemoveAt(0);
            }
        }
        else
        {
            _more?.Remove(waiter);
        }
    }

    /// <summary>Called when the event comes off the queue: marks it processed and resumes its waiters in the order they came.</summary>
    internal virtual void Dispatch()
    {
        State = EventState.Processed;
        var first = _waiter;
        _waiter = null;
        if (!Ok && first is null && _more is null)
        {
            // Nobody was there to handle it: a model error must not pass silently.
            throw new SimulationException($"A {GetType().Name} failed at time {Simulation.Now} and nothing waited for it.", Failure);
        }
        first?.Resume(this);
        if (_more is { Count: > 0 } more)
        {
            _more = null;
            foreach (var waiter in more)
            {
                waiter.Resume(this);
            }
        }
    }

    internal void MarkTriggered() => State = EventState.Triggered;

    /// <summary>Resets a recycled event for reuse.</summary>
    private protected void Reset()
    {
        State = EventState.Pending;
        Value = null;
        Ok = true;
        Failure = null;
        _waiter = null;
        _more = null;
    }

    /// <summary>Whether exactly one process waits, and nothing else: then a recycled timeout cannot be observed by anyone.</summary>
    private protected bool SoleWaiterIsProcess => _waiter is Process && _more is null;

    private sealed class CallbackWaiter(Action<Event> callback) : IEventWaiter
    {
        public void Resume(Event e) => callback(e);
    }
}

/// <summary>A model failed: a process threw, or an event failed with nobody waiting for it.</summary>
public sealed class SimulationException(string message, Exception? inner) : Exception(message, inner);

/// <summary>Where an event is in its life.</summary>
public enum EventState : byte
{
    Pending,
    Triggered,
    Processed,
}

/// <summary>Among events at the same time: urgent ones (process starts, interrupts) go first, then by scheduling order.</summary>
internal enum EventPriority : byte
{
    Urgent = 0,
    Normal = 1,
}

/// <summary>Something resumed when an event it waits for is processed: a process or a condition.</summary>
internal interface IEventWaiter
{
    void Resume(Event e);
}
