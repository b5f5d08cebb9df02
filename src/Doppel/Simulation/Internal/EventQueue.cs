using System.Runtime.CompilerServices;

namespace Doppel.Simulation.Internal;

/// <summary>
/// A binary min-heap of scheduled events keyed by (time, priority, sequence): the sequence number makes the order of
/// simultaneous events the order they were scheduled, so a seed fixes the whole run.
/// </summary>
internal sealed class EventQueue
{
    private Entry[] _heap = new Entry[1024];
    private int _count;

    public int Count => _count;

    public bool TryPeekTime(out double time)
    {
        time = _count > 0 ? _heap[0].Time : 0;
        return _count > 0;
    }

    public void Enqueue(double time, EventPriority priority, long sequence, Event e)
    {
        if (_count == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }
        var entry = new Entry(time, ((long)priority << 56) | sequence, e);
        var i = _count++;
        // Sift up: move parents down until the new entry's place is found.
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Less(in entry, in _heap[parent]))
            {
                break;
            }
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = entry;
    }

    public (double Time, Event Event) Dequeue()
    {
        if (_count == 0)
        {
            throw new InvalidOperationException("No event is scheduled.");
        }
        var top = _heap[0];
        var last = _heap[--_count];
        _heap[_count] = default;
        if (_count > 0)
        {
            // Sift down the last entry from the root.
            var i = 0;
            while (true)
            {
                var child = (2 * i) + 1;
                if (child >= _count)
                {
                    break;
                }
                if (child + 1 < _count && Less(in _heap[child + 1], in _heap[child]))
                {
                    child++;
                }
                if (!Less(in _heap[child], in last))
                {
                    break;
                }
                _heap[i] = _heap[child];
                i = child;
            }
            _heap[i] = last;
        }
        return (top.Time, top.Event);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Less(in Entry a, in Entry b) => a.Time < b.Time || (a.Time == b.Time && a.Order < b.Order);

    // Order packs the priority into the top byte above the sequence number: one comparison for both.
    private readonly record struct Entry(double Time, long Order, Event Event);
}
