using Doppel.Events;

namespace Doppel.Tests.Events;

/// <summary>The broadcaster behind live streams: filters, bounded buffers with exact drop counts, unsubscribe, and faulty filters.</summary>
public sealed class EventBroadcasterTests
{
    private static TwinEvent Event(string twin, int n = 0) =>
        new($"e{n}", TwinEventTypes.Telemetry, twin, "dtmi:test:Sensor;1", twin, DateTimeOffset.UnixEpoch, """{"v":1}"""u8.ToArray());

    [Fact]
    public void A_subscriber_receives_only_events_its_filter_accepts_in_publish_order()
    {
        var broadcaster = new EventBroadcaster();
        using var subscription = broadcaster.Subscribe(e => e.TwinId == "a");
        broadcaster.Publish(Event("a", 1));
        broadcaster.Publish(Event("b", 2));
        broadcaster.Publish(Event("a", 3));
        Assert.Equal(["e1", "e3"], Drain(subscription).Select(e => e.Id));
    }

    [Fact]
    public void A_full_buffer_keeps_the_oldest_events_and_counts_every_drop_exactly()
    {
        const int Capacity = 5, Published = 23;
        var broadcaster = new EventBroadcaster();
        using var slow = broadcaster.Subscribe(capacity: Capacity);
        using var other = broadcaster.Subscribe(capacity: 100);
        for (var i = 0; i < Published; i++)
        {
            broadcaster.Publish(Event("a", i));
        }
        Assert.Equal(Published - Capacity, slow.Dropped);
        Assert.Equal(0, other.Dropped);
        Assert.Equal(Published - Capacity, broadcaster.TotalDropped);
        Assert.Equal(Published - Capacity, slow.TakeDropped());
        Assert.Equal(0, slow.TakeDropped());
        Assert.Equal(Enumerable.Range(0, Capacity).Select(i => $"e{i}"), Drain(slow).Select(e => e.Id));
        Assert.Equal(Published, Drain(other).Count);
    }

    [Fact]
    public void Disposing_a_subscription_unsubscribes_and_completes_its_reader()
    {
        var broadcaster = new EventBroadcaster();
        var subscription = broadcaster.Subscribe();
        Assert.True(broadcaster.HasSubscribers);
        subscription.Dispose();
        Assert.False(broadcaster.HasSubscribers);
        broadcaster.Publish(Event("a"));
        Assert.True(subscription.Reader.Completion.IsCompleted);
        Assert.False(subscription.Reader.TryRead(out _));
    }

    [Fact]
    public void A_throwing_filter_neither_breaks_publish_nor_starves_other_subscribers()
    {
        var broadcaster = new EventBroadcaster();
        using var faulty = broadcaster.Subscribe(e => e.TwinId == "boom" ? throw new InvalidOperationException("bad filter") : true);
        using var healthy = broadcaster.Subscribe();
        broadcaster.Publish(Event("boom", 1));
        broadcaster.Publish(Event("fine", 2));
        Assert.Equal(["e2"], Drain(faulty).Select(e => e.Id));
        Assert.Equal(["e1", "e2"], Drain(healthy).Select(e => e.Id));
    }

    [Fact]
    public void Events_are_built_only_when_someone_listens()
    {
        var broadcaster = new EventBroadcaster();
        var built = 0;
        broadcaster.Publish(0, _ => { built++; return Event("a"); });
        using var subscription = broadcaster.Subscribe();
        broadcaster.Publish(0, _ => { built++; return Event("a"); });
        Assert.Equal(1, built);
    }

    private static List<TwinEvent> Drain(EventSubscription subscription)
    {
        var events = new List<TwinEvent>();
        while (subscription.Reader.TryRead(out var e))
        {
            events.Add(e);
        }
        return events;
    }
}
