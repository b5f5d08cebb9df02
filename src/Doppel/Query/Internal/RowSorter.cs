namespace Doppel.Query.Internal;

/// <summary>
/// Keeps the first <c>keep</c> rows in ORDER BY order (ties in arrival order) with a bounded max-heap: a row is
/// copied only when it beats the worst row kept, and sort keys are read in place, so nothing is projected until the
/// page is cut.
/// </summary>
internal sealed class RowSorter
{
    private readonly IReadOnlyList<OrderItem> _order;
    private readonly Func<PathExpr, Doc?[], QueryValue> _value;
    private readonly int _keep;
    private readonly PriorityQueue<Entry, Entry> _heap;
    private readonly QueryValue[] _scratch;
    private long _seq;

    public RowSorter(IReadOnlyList<OrderItem> order, Func<PathExpr, Doc?[], QueryValue> value, int keep)
    {
        (_order, _value, _keep) = (order, value, keep);
        _scratch = new QueryValue[order.Count];
        // The root of the heap is the worst row kept.
        _heap = new PriorityQueue<Entry, Entry>(Comparer<Entry>.Create((a, b) => Compare(b.Keys, b.Seq, a.Keys, a.Seq)));
    }

    public int Count => _heap.Count;

    public bool IsFull => _heap.Count >= _keep;

    public void Offer(Doc?[] row)
    {
        if (_keep <= 0)
        {
            return;
        }
        for (var i = 0; i < _order.Count; i++)
        {
            _scratch[i] = _value(_order[i].Path, row);
        }
        var seq = _seq++;
        if (_heap.Count >= _keep)
        {
            var worst = _heap.Peek();
            if (Compare(_scratch, seq, worst.Keys, worst.Seq) >= 0)
            {
                return;
            }
            _heap.Dequeue();
        }
        var entry = new Entry((QueryValue[])_scratch.Clone(), seq, (Doc?[])row.Clone());
        _heap.Enqueue(entry, entry);
    }

    /// <summary>The rows kept, best first.</summary>
    public List<Doc?[]> Sorted()
    {
        var entries = new List<Entry>(_heap.Count);
        while (_heap.TryDequeue(out var entry, out _))
        {
            entries.Add(entry);
        }
        entries.Reverse();
        return entries.ConvertAll(e => e.Row);
    }

    private int Compare(QueryValue[] a, long aSeq, QueryValue[] b, long bSeq)
    {
        for (var i = 0; i < _order.Count; i++)
        {
            var c = QueryValue.Order(a[i], b[i]);
            if (c != 0)
            {
                return _order[i].Descending ? -c : c;
            }
        }
        return aSeq.CompareTo(bSeq);
    }

    private sealed record Entry(QueryValue[] Keys, long Seq, Doc?[] Row);
}
