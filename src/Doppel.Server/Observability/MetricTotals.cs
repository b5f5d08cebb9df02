using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
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

    private sealed class Series(Instrument instrument)
    {
        private readonly ConcurrentDictionary<string, Cell> _cells = new(StringComparer.Ordinal);

        public Instrument Instrument { get; } = instrument;

        // Observable instruments report their value now, gauges their latest value; the others report increments.
        private bool Accumulates => !Instrument.IsObservable && !IsGauge;

        private bool IsGauge => Instrument.GetType().Name.StartsWith("Gauge", StringComparison.Ordinal) || Instrument.GetType().Name.StartsWith("ObservableGauge", StringComparison.Ordinal);

        private bool IsHistogram => Instrument is Histogram<double> or Histogram<long>;

        public IEnumerable<(KeyValuePair<string, object?>[] Tags, Cell Cell)> Cells => _cells.Values.Select(c => (c.Tags, c));

        public void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var key = Key(tags);
            if (!_cells.TryGetValue(key, out var cell))
            {
                cell = _cells.GetOrAdd(key, new Cell(tags.ToArray()));
            }
            cell.Record(value, Accumulates);
        }

        public JsonObject ToJson() => new()
        {
            ["name"] = Instrument.Name,
            ["unit"] = Instrument.Unit,
            ["description"] = Instrument.Description,
            ["kind"] = IsHistogram ? "histogram" : IsGauge ? "gauge" : "counter",
            ["values"] = new JsonArray([.. _cells.Values.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.ToJson(IsHistogram))]),
        };

        private static string Key(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0)
            {
                return "";
            }
            var key = new StringBuilder();
            foreach (var (name, value) in tags)
            {
                key.Append(name).Append('=').Append(value).Append('\u001f');
            }
            return key.ToString();
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
