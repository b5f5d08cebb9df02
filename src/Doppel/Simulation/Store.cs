namespace Doppel.Simulation;

/// <summary>
/// A store of items (a buffer of parts, a queue of orders) with a capacity: puts wait while it is full, gets while it
/// is empty, both first come first served. Like timeouts, put and get events that a process yields directly are
/// recycled once it has resumed (read a get's item right after the yield; do not keep the event).
/// </summary>
public sealed class Store<T>
{
    private readonly Simulation _simulation;
    private readonly Queue<T> _items = new();
    private readonly Queue<StoreEvent> _putters = new();
    private readonly Queue<StoreEvent> _getters = new();
    private readonly Stack<StoreEvent> _recycled = new();

    public Store(Simulation simulation, int capacity = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _simulation = simulation;
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count => _items.Count;

    public IEnumerable<T> Items => _items;

    /// <summary>Puts an item; the event is processed once there was room for it.</summary>
    public Event Put(T item)
    {
        var put = Rent();
        put.Item = item;
        _putters.Enqueue(put);
        Settle();
        return put;
    }

    /// <summary>Takes the oldest item; the event's <see cref="Event.Value"/> is the item, once there was one.</summary>
    public Event Get()
    {
        var get = Rent();
        _getters.Enqueue(get);
        Settle();
        return get;
    }

    private StoreEvent Rent()
    {
        if (!_recycled.TryPop(out var e))
        {
            return new StoreEvent(this);
        }
        e.Renew();
        return e;
    }

    private void Settle()
    {
        // Alternate until neither side can move: a get can make room for a waiting put, and a put feed a waiting get.
        var moved = true;
        while (moved)
        {
            moved = false;
            while (_putters.Count > 0 && _items.Count < Capacity)
            {
                var put = _putters.Dequeue();
                _items.Enqueue(put.Item!);
                put.Succeed();
                moved = true;
            }
            while (_getters.Count > 0 && _items.Count > 0)
            {
                _getters.Dequeue().Succeed(_items.Dequeue());
                moved = true;
            }
        }
    }

    private sealed class StoreEvent(Store<T> store) : Event(store._simulation)
    {
        public T? Item { get; set; }

        public void Renew() => Reset();

        internal override void Dispatch()
        {
            var recycle = SoleWaiterIsProcess;
            base.Dispatch();
            if (recycle)
            {
                Item = default;
                store._recycled.Push(this);
            }
        }
    }
}
