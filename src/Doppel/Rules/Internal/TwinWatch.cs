using Doppel.History;

namespace Doppel.Rules.Internal;

/// <summary>What the rule engine keeps about one twin: the newest value of each name, recent points for windows, and the state of each rule on it. Guarded by its own lock.</summary>
internal sealed class TwinWatch(string id, DateTimeOffset started)
{
    public Lock Gate { get; } = new();

    public string Id { get; } = id;

    /// <summary>When watching began: an absence with no telemetry seen counts from here.</summary>
    public DateTimeOffset Started { get; } = started;

    /// <summary>Newest point of each name; replaced whole on change, so a related twin's rule reads it without this lock.</summary>
    public volatile Dictionary<string, HistoryPoint> Latest = new(StringComparer.Ordinal);

    /// <summary>When each telemetry name, and any telemetry at all (key ""), last arrived on the engine's clock.</summary>
    public Dictionary<string, DateTimeOffset> Seen { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Series> Series { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, RuleWatch> Rules { get; } = new(StringComparer.Ordinal);

    public bool Removed { get; set; }

    /// <summary>Counts the batches of points applied, so a series shared by several functions takes each point once.</summary>
    public long Stamp { get; set; }
}

/// <summary>A rule's state on one twin.</summary>
internal sealed class RuleWatch(TwinWatch twin, AlertRule rule)
{
    public TwinWatch Twin { get; } = twin;

    public AlertRule Rule { get; set; } = rule;

    /// <summary>Since when the condition has held without a break (for <see cref="AlertRule.For"/>); null when it does not hold.</summary>
    public DateTimeOffset? HoldsSince { get; set; }

    /// <summary>The condition fired and has not cleared yet (the alert may have been resolved by hand meanwhile).</summary>
    public bool Latched { get; set; }

    /// <summary>The open alert, if any.</summary>
    public Alert? Alert { get; set; }

    /// <summary>The last alert that cleared by itself and when: a raise soon after reopens it.</summary>
    public Alert? LastCleared { get; set; }

    public ITimer? Timer { get; set; }

    /// <summary>When <see cref="Timer"/> is armed to fire; null when it is not.</summary>
    public DateTimeOffset? Due { get; set; }

    public bool Disposed { get; set; }
}

/// <summary>
/// The numeric points of one name within one window, in time order, with their sum and count kept as points come
/// and go, and monotonic queues for the minimum and maximum: a windowed function costs O(1) per point, not a pass
/// over the window (at 8 readings a second, a minute holds ~500).
/// </summary>
internal sealed class Series(TimeSpan window)
{
    private readonly List<(DateTimeOffset Time, double Value, long Seq)> _points = [];
    private readonly List<(double Value, long Seq)> _min = [];
    private readonly List<(double Value, long Seq)> _max = [];
    private int _head, _minHead, _maxHead;
    private long _seq, _removed;
    private double _sum;

    public TimeSpan Window { get; } = window;

    /// <summary>The point last added, to add a point once to a series several functions share.</summary>
    public (long Stamp, int Index) Last { get; set; } = (-1, -1);

    public int Count => _points.Count - _head;

    public DateTimeOffset? Oldest => Count > 0 ? _points[_head].Time : null;

    public void Add(DateTimeOffset time, double value)
    {
        if (Count > 0 && _points[^1].Time > time)
        {
            // Out of order (rare): insert in place and rebuild the running values.
            var at = _points.Count;
            while (at > _head && _points[at - 1].Time > time)
            {
                at--;
            }
            _points.Insert(at, (time, value, 0));
            Rebuild();
            return;
        }
        var seq = ++_seq;
        _points.Add((time, value, seq));
        _sum += value;
        Push(_min, ref _minHead, value, seq, static (held, added) => held >= added);
        Push(_max, ref _maxHead, value, seq, static (held, added) => held <= added);
    }

    /// <summary>Drops the points at or before <paramref name="now"/> minus the window.</summary>
    public void Trim(DateTimeOffset now)
    {
        var cutoff = now - Window;
        while (Count > 0 && _points[_head].Time <= cutoff)
        {
            var (_, value, seq) = _points[_head++];
            _sum -= value;
            if (_minHead < _min.Count && _min[_minHead].Seq == seq)
            {
                _minHead++;
            }
            if (_maxHead < _max.Count && _max[_maxHead].Seq == seq)
            {
                _maxHead++;
            }
            _removed++;
        }
        if (_head > 64 && _head * 2 > _points.Count)
        {
            Rebuild(); // compacts, and clears the rounding a long run of subtractions leaves in the sum
        }
    }

    /// <summary>The function over the points in the window ending now; null when it has no value (no points, or fewer than two for a rate).</summary>
    public double? Compute(RuleFunction function, DateTimeOffset now)
    {
        Trim(now);
        var count = Count;
        return function.Kind switch
        {
            RuleFunctionKind.Count => count,
            _ when count == 0 => null,
            RuleFunctionKind.Avg => _sum / count,
            RuleFunctionKind.Sum => _sum,
            RuleFunctionKind.Min => _min[_minHead].Value,
            RuleFunctionKind.Max => _max[_maxHead].Value,
            RuleFunctionKind.Rate => _points[^1].Time > _points[_head].Time
                ? (_points[^1].Value - _points[_head].Value) / (_points[^1].Time - _points[_head].Time).TotalSeconds * function.Per.TotalSeconds
                : null,
            _ => null,
        };
    }

    private static void Push(List<(double Value, long Seq)> queue, ref int head, double value, long seq, Func<double, double, bool> dominated)
    {
        while (queue.Count > head && dominated(queue[^1].Value, value))
        {
            queue.RemoveAt(queue.Count - 1);
        }
        queue.Add((value, seq));
        if (head > 64 && head * 2 > queue.Count)
        {
            queue.RemoveRange(0, head);
            head = 0;
        }
    }

    private void Rebuild()
    {
        var points = _points.GetRange(_head, _points.Count - _head);
        _points.Clear();
        _min.Clear();
        _max.Clear();
        (_head, _minHead, _maxHead, _sum) = (0, 0, 0, 0);
        foreach (var (time, value, _) in points)
        {
            var seq = ++_seq;
            _points.Add((time, value, seq));
            _sum += value;
            Push(_min, ref _minHead, value, seq, static (held, added) => held >= added);
            Push(_max, ref _maxHead, value, seq, static (held, added) => held <= added);
        }
    }
}
