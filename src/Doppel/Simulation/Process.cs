namespace Doppel.Simulation;

/// <summary>
/// A model's active part: a method that yields the events it waits for (<c>yield return sim.Timeout(5)</c>). A process
/// is itself an event, processed when its method returns, so other processes can wait for it.
/// </summary>
/// <remarks>
/// An interrupt (<see cref="Interrupt"/>, or preemption by a <see cref="Resource"/>) resumes the process at once,
/// abandoning what it waited for; the process must then take it with <see cref="TryTakeInterrupt"/> before it yields
/// again, or it fails with an <see cref="InterruptedException"/> (C# iterators cannot catch at a yield, so the check is
/// explicit where SimPy raises).
/// </remarks>
public sealed class Process : Event, IEventWaiter
{
    private readonly IEnumerator<Event> _body;
    private Event? _target;
    private bool _started;
    private object? _interrupt;
    private bool _interrupted;

    internal Process(Simulation simulation, IEnumerator<Event> body)
        : base(simulation)
    {
        _body = body;
    }

    /// <summary>The event the process waits for, or null when it is not waiting.</summary>
    public Event? Target => _target;

    public bool IsAlive => !IsTriggered || !_started;

    /// <summary>Interrupts the waiting process at the current time, with a cause it reads through <see cref="TryTakeInterrupt"/>.</summary>
    public void Interrupt(object? cause = null)
    {
        if (IsTriggered && _started)
        {
            throw new InvalidOperationException("The process has already finished; it cannot be interrupted.");
        }
        if (ReferenceEquals(Simulation.ActiveProcess, this))
        {
            throw new InvalidOperationException("A process cannot interrupt itself.");
        }
        new Interruption(Simulation, this, cause).Schedule();
    }

    /// <summary>Whether the process was interrupted since it last resumed; takes the cause (call it right after each yield that can be interrupted).</summary>
    public bool TryTakeInterrupt(out object? cause)
    {
        cause = _interrupt;
        var was = _interrupted;
        _interrupt = null;
        _interrupted = false;
        return was;
    }

    internal override void Dispatch()
    {
        if (!_started)
        {
            // The first time the process comes off the queue it starts; the second time it has finished.
            _started = true;
            State = EventState.Pending;
            Resume(this);
            return;
        }
        base.Dispatch();
    }

    /// <summary>Runs the body until it yields an event not yet processed, or returns.</summary>
    public void Resume(Event e)
    {
        _target = null;
        var simulation = Simulation;
        while (true)
        {
            if (e is not Interruption && !e.Ok && e != this)
            {
                Finish(new InvalidOperationException($"A {e.GetType().Name} the process waited for failed.", e.Failure));
                return;
            }
            simulation.ActiveProcess = this;
            bool more;
            try
            {
                more = _body.MoveNext();
            }
            catch (Exception failure)
            {
                simulation.ActiveProcess = null;
                Finish(failure);
                return;
            }
            simulation.ActiveProcess = null;
            if (_interrupted)
            {
                Finish(new InterruptedException(_interrupt));
                return;
            }
            if (!more)
            {
                _body.Dispose();
                Succeed();
                return;
            }
            var next = _body.Current ?? throw new InvalidOperationException("A process yielded null; yield an event.");
            if (!next.IsProcessed)
            {
                _target = next;
                next.AddWaiter(this);
                return;
            }
            e = next; // already happened: carry on at once
        }
    }

    private void Finish(Exception failure)
    {
        _body.Dispose();
        Fail(failure);
    }

    /// <summary>Delivers an interrupt: detaches the process from what it waited for and resumes it now.</summary>
    private sealed class Interruption(Simulation simulation, Process process, object? cause) : Event(simulation)
    {
        public void Schedule() => Simulation.Schedule(this, 0, EventPriority.Urgent);

        internal override void Dispatch()
        {
            State = EventState.Processed;
            if (process.IsTriggered && process._started)
            {
                return; // it finished meanwhile
            }
            process._target?.RemoveWaiter(process);
            process._interrupt = cause;
            process._interrupted = true;
            process.Resume(this);
        }
    }
}

/// <summary>A process was interrupted and did not take the interrupt before it yielded again.</summary>
public sealed class InterruptedException(object? cause)
    : Exception($"The process was interrupted ({cause ?? "no cause"}) and did not handle it (Process.TryTakeInterrupt).")
{
    public object? Cause { get; } = cause;
}
