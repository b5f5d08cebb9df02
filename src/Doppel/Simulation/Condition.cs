namespace Doppel.Simulation;

/// <summary>An event processed once any (or all) of its events are; its value is the events processed by then, in the order given.</summary>
public sealed class Condition : Event, IEventWaiter
{
    private readonly Event[] _events;
    private readonly bool _all;
    private int _done;

    internal Condition(Simulation simulation, Event[] events, bool all)
        : base(simulation)
    {
        ArgumentNullException.ThrowIfNull(events);
        _events = events;
        _all = all;
        foreach (var e in events)
        {
            if (e.IsProcessed)
            {
                _done++;
            }
            else
            {
                e.AddWaiter(this);
            }
        }
        if (events.Length == 0 || (_all ? _done == events.Length : _done > 0))
        {
            Complete();
        }
    }

    public void Resume(Event e)
    {
        if (IsTriggered)
        {
            return;
        }
        if (!e.Ok)
        {
            Fail(new InvalidOperationException("An event of the condition failed.", e.Failure));
            return;
        }
        _done++;
        if (_all ? _done == _events.Length : _done > 0)
        {
            Complete();
        }
    }

    private void Complete()
    {
        foreach (var e in _events)
        {
            if (!e.IsProcessed)
            {
                e.RemoveWaiter(this);
            }
        }
        Succeed(Array.FindAll(_events, e => e.IsProcessed));
    }
}
