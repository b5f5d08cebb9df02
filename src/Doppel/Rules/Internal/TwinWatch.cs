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

    public bool Disposed { get; set; }
}

/// <summary>Recent numeric points of one name, in time order, kept for the longest window a rule looks back over.</summary>
internal sealed class Series
{
    private readonly List<(DateTimeOffset Time, double Value)> _points = [];

    public TimeSpan Keep { get; set; }

    public int Count => _points.Count;

    public DateTimeOffset? Oldest => _points.Count > 0 ? _points[0].Time : null;

    public void Add(DateTimeOffset time, double value)
    {
        var at = _points.Count;
        while (at > 0 && _points[at - 1].Time > time)
        {
            at--;
        }
        _points.Insert(at, (time, value));
    }

    public void Trim(DateTimeOffset now)
    {
        var cutoff = now - Keep;
        var drop = 0;
        while (drop < _points.Count && _points[drop].Time <= cutoff)
        {
            drop++;
        }
        if (drop > 0)
        {
            _points.RemoveRange(0, drop);
        }
    }

    /// <summary>The function over the points in (now - window, now]; null when it has no value (no points, or fewer than two for a rate).</summary>
    public double? Compute(RuleFunction function, DateTimeOffset now)
    {
        var from = now - function.Window;
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        var count = 0;
        (DateTimeOffset Time, double Value) first = default, last = default;
        foreach (var point in _points)
        {
            if (point.Time <= from || point.Time > now)
            {
                continue;
            }
            if (count == 0)
            {
                first = point;
            }
            last = point;
            count++;
            sum += point.Value;
            min = Math.Min(min, point.Value);
            max = Math.Max(max, point.Value);
        }
        return function.Kind switch
        {
            RuleFunctionKind.Count => count,
            _ when count == 0 => null,
            RuleFunctionKind.Avg => sum / count,
            RuleFunctionKind.Min => min,
            RuleFunctionKind.Max => max,
            RuleFunctionKind.Sum => sum,
            RuleFunctionKind.Rate => last.Time > first.Time ? (last.Value - first.Value) / (last.Time - first.Time).TotalSeconds * function.Per.TotalSeconds : null,
            _ => null,
        };
    }
}
