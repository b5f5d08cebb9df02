namespace Doppel.Events;

/// <summary>
/// Fans twin events out to subscribers (live streams, event routes), each behind its own bounded buffer. A subscriber that
/// falls behind loses events, counted in <see cref="EventSubscription.Dropped"/>; the publisher never waits.
/// </summary>
public sealed class EventBroadcaster
{
    private readonly Lock _gate = new();
    private volatile EventSubscription[] _subscriptions = [];
    private long _totalDropped;

    /// <summary>False when nobody listens: publishers skip building events at all.</summary>
    public bool HasSubscribers => _subscriptions.Length > 0;

    /// <summary>Events dropped over all subscriptions since start (including closed ones).</summary>
    public long TotalDropped => Interlocked.Read(ref _totalDropped);

    /// <summary>Starts receiving events that pass <paramref name="filter"/> (null: all); dispose the subscription to stop.</summary>
    public EventSubscription Subscribe(Func<TwinEvent, bool>? filter = null, int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var subscription = new EventSubscription(this, filter, capacity);
        lock (_gate)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }
        return subscription;
    }

    /// <summary>Offers an event to every subscriber; never blocks.</summary>
    public void Publish(TwinEvent e)
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Offer(e);
        }
    }

    /// <summary>Publishes the event <paramref name="create"/> makes, only when someone listens.</summary>
    public void Publish<TState>(TState state, Func<TState, TwinEvent> create)
    {
        if (_subscriptions.Length > 0)
        {
            Publish(create(state));
        }
    }

    internal void CountDrop() => Interlocked.Increment(ref _totalDropped);

    internal void Remove(EventSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = Array.FindAll(_subscriptions, s => !ReferenceEquals(s, subscription));
        }
    }
}
