using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;

namespace Doppel.Server.Observability;

/// <summary>
/// The totals of this server's <c>Doppel</c> meter since start, by tag set, for <c>GET /doppel/status</c>: the same
/// measurements Prometheus reads at <c>/metrics</c>, as JSON a browser can show without parsing exposition text. It
/// listens to the instruments the meter has, so instruments added later (alerts, rules) appear without changes here.
/// </summary>
internal sealed class MetricTotals : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Series> _series = new();

    public MetricTotals(IMeterFactory meters, DoppelMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Another server in the same process has a meter of the same name; its factory is another scope.
            if (instrument.Meter.Name == DoppelMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                var series = _series.GetOrAdd(instrument, i => new Series(i));
                listener.EnableMeasurementEvents(instrument, series);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((Series)state!).Add(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((Series)state!).Add(value, tags));
        _listener.MeasurementsCompleted = (instrument, _) => _series.TryRemove(instrument, out Series? _);
        _listener.Start();
    }

    /// <summary>Every instrument: <c>{"name","unit","description","kind","values":[{"tags":{…},"value"}]}</c>, histograms with count, sum and max.</summary>
    public JsonArray Snapshot()
    {
        // Gauges and observable counters report only when asked.
        _listener.RecordObservableInstruments();
        return new JsonArray([.. _series.Values.OrderBy(s => s.Instrument.Name, StringComparer.Ordinal).Select(s => s.ToJson())]);
    }

    /// <summary>The total of one instrument over all tag sets, or by the values of one tag.</summary>
    public IReadOnlyDictionary<string, double> By(string instrument, string tag)
    {
        var totals = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var series in _series.Values.Where(s => s.Instrument.Name == instrument))
        {
            foreach (var (tags, cell) in series.Cells)
            {
                var key = tags.FirstOrDefault(t => t.Key == tag).Value?.ToString() ?? "";
                totals[key] = totals.GetValueOrDefault(key) + cell.Value;
            }
        }
        return totals;
    }

    /// <summary>The total of one instrument over all tag sets (0 before its first measurement).</summary>
    public double Total(string instrument) =>
        _series.Values.Where(s => s.Instrument.Name == instrument).SelectMany(s => s.Cells).Sum(c => c.Cell.Value);

    public void Dispose() => _listener.Dispose();

    /// <summary>
    /// One instrument's cells, one per tag set. Measurements come on the hot paths (ingest), so finding a cell scans the
    /// few there are and compares tags in place, without allocating; a new tag set copies the array once.
    /// </summary>
    private sealed class Series
    {
        private readonly Lock _adding = new();
        private readonly bool _accumulates;
        private volatile Cell[] _cells = [];

        public Series(Instrument instrument)
        {
            Instrument = instrument;
            var type = instrument.GetType().Name;
            IsGauge = type.StartsWith("Gauge", StringComparison.Ordinal) || type.StartsWith("ObservableGauge", StringComparison.Ordinal);
            IsHistogram = instrument is Histogram<double> or Histogram<long>;
            // Observable instruments report their value now, gauges their latest value; the others report increments.
            _accumulates = !instrument.IsObservable && !IsGauge;
        }

        public Instrument Instrument { get; }

        private bool IsGauge { get; }

        private bool IsHistogram { get; }

        public IEnumerable<(KeyValuePair<string, object?>[] Tags, Cell Cell)> Cells => _cells.Select(c => (c.Tags, c));

        public void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var cell = Find(_cells, tags);
            if (cell is null)
            {
                lock (_adding)
                {
                    cell = Find(_cells, tags);
                    if (cell is null)
                    {
                        cell = new Cell(tags.ToArray());
                        _cells = [.. _cells, cell];
                    }
                }
            }
            cell.Record(value, _accumulates);
        }

        public JsonObject ToJson() => new()
        {
            ["name"] = Instrument.Name,
            ["unit"] = Instrument.Unit,
            ["description"] = Instrument.Description,
            ["kind"] = IsHistogram ? "histogram" : IsGauge ? "gauge" : "counter",
            ["values"] = new JsonArray([.. _cells.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.ToJson(IsHistogram))]),
        };

        private static Cell? Find(Cell[] cells, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var cell in cells)
            {
                if (cell.Matches(tags))
                {
                    return cell;
                }
            }
            return null;
        }
    }

    private sealed class Cell(KeyValuePair<string, object?>[] tags)
    {
        private readonly Lock _lock = new();
        private double _value;
        private long _count;
        private double _max = double.NegativeInfinity;

        public KeyValuePair<string, object?>[] Tags { get; } = [.. tags.OrderBy(t => t.Key, StringComparer.Ordinal)];

        public string Key => string.Join(",", Tags.Select(t => $"{t.Key}={t.Value}"));

        /// <summary>True when the tags are this cell's, in any order.</summary>
        public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length != Tags.Length)
            {
                return false;
            }
            foreach (var (name, value) in tags)
            {
                var found = false;
                foreach (var (ownName, ownValue) in Tags)
                {
                    if (ownName == name)
                    {
                        found = Equals(ownValue, value);
                        break;
                    }
                }
                if (!found)
                {
                    return false;
                }
            }
            return true;
        }

        public double Value
        {
            get
            {
                lock (_lock)
                {
                    return _value;
                }
            }
        }

        public void Record(double value, bool accumulate)
        {
            lock (_lock)
            {
                _value = accumulate ? _value + value : value;
                _count++;
                _max = Math.Max(_max, value);
            }
        }

        public JsonObject ToJson(bool histogram)
        {
            var tags = new JsonObject();
            foreach (var (name, value) in Tags)
            {
                tags[name] = value?.ToString();
            }
            lock (_lock)
            {
                return histogram
                    ? new JsonObject { ["tags"] = tags, ["count"] = _count, ["sum"] = _value, ["max"] = _count > 0 ? _max : null }
                    : new JsonObject { ["tags"] = tags, ["value"] = _value };
            }
        }
    }
}
