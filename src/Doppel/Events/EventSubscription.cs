using System.Threading.Channels;

namespace Doppel.Events;

/// <summary>One subscriber's bounded queue of events; disposing it unsubscribes and completes <see cref="Reader"/>.</summary>
public sealed class EventSubscription : IDisposable
{
    private readonly EventBroadcaster _owner;
    private readonly Func<TwinEvent, bool>? _filter;
    private readonly Channel<TwinEvent> _channel;
    private long _dropped;

    internal EventSubscription(EventBroadcaster owner, Func<TwinEvent, bool>? filter, int capacity)
    {
        _owner = owner;
        _filter = filter;
        _channel = Channel.CreateBounded<TwinEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with Wait, TryWrite fails instead of blocking: that failure is the drop we count
            SingleReader = true,
        });
    }

    public ChannelReader<TwinEvent> Reader => _channel.Reader;

    /// <summary>Events this subscriber missed because its buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Returns the drops since the last call and resets the count, for signalling them to the subscriber once.</summary>
    public long TakeDropped() => Interlocked.Exchange(ref _dropped, 0);

    internal void Offer(TwinEvent e)
    {
        bool wanted;
        try
        {
            wanted = _filter is null || _filter(e);
        }
        catch (Exception)
        {
            // A filter that faults on an odd event must not break the publisher; the event simply does not match.
            wanted = false;
        }
        if (wanted && !_channel.Writer.TryWrite(e))
        {
            Interlocked.Increment(ref _dropped);
            _owner.CountDrop();
        }
    }

    public void Dispose()
    {
        _owner.Remove(this);
        _channel.Writer.TryComplete();
    }
}
