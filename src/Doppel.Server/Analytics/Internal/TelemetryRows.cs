using Doppel.Analytics.Rul;
using Doppel.History;
using Doppel.Modeling;
using Doppel.Server.Runtime;

namespace Doppel.Server.Analytics.Internal;

/// <summary>
/// Turns a twin's telemetry points into a predictor's rows: one row per time at which some of its channels arrived,
/// a channel missing from that time keeping its previous value; rows start once every channel has had a value.
/// </summary>
internal sealed class TelemetryRows
{
    private static readonly DateTimeOffset Earliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, int> _index;
    private readonly double[] _current;
    private int _known;

    public TelemetryRows(IReadOnlyList<string> channels)
    {
        _index = new Dictionary<string, int>(channels.Count, StringComparer.Ordinal);
        for (var i = 0; i < channels.Count; i++)
        {
            _index[channels[i]] = i;
        }
        _current = new double[channels.Count];
        Array.Fill(_current, double.NaN);
    }

    /// <summary>The exclusive end of a range that takes in <paramref name="time"/>: history keeps microseconds, so a tick later would round back onto it.</summary>
    public static DateTimeOffset Through(DateTimeOffset time) => time.AddTicks(TimeSpan.TicksPerMicrosecond);

    /// <summary>The time of the last row taken.</summary>
    public DateTimeOffset? LastTime { get; private set; }

    /// <summary>Starts from a row's values, as if it had just been taken.</summary>
    public void Seed(double[] row)
    {
        row.CopyTo(_current, 0);
        _known = _current.Length;
    }

    /// <summary>Takes the points of one time; returns the row they complete, or null when none of them is a channel or some channel has never had a value.</summary>
    public double[]? Add(IReadOnlyList<HistoryPoint> points, int start, int count)
    {
        var touched = false;
        for (var i = start; i < start + count; i++)
        {
            var point = points[i];
            if (point.Kind != HistoryKind.Telemetry || point.Number is not { } value || !_index.TryGetValue(point.Name, out var at))
            {
                continue;
            }
            if (double.IsNaN(_current[at]))
            {
                _known++;
            }
            _current[at] = value;
            touched = true;
        }
        if (!touched)
        {
            return null;
        }
        LastTime = points[start].Time;
        return _known == _current.Length ? (double[])_current.Clone() : null;
    }

    /// <summary>Rows from points sorted by time, grouping the points that share a time.</summary>
    public void AddAll(IReadOnlyList<HistoryPoint> points, Action<double[], DateTimeOffset> row)
    {
        var start = 0;
        while (start < points.Count)
        {
            var end = start + 1;
            while (end < points.Count && points[end].Time == points[start].Time)
            {
                end++;
            }
            if (Add(points, start, end - start) is { } made)
            {
                row(made, points[start].Time);
            }
            start = end;
        }
    }

    /// <summary>Every row of a twin in [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    public static async Task<List<(double[] Row, DateTimeOffset Time)>> ReadAsync(IHistoryStore history, string twinId, IReadOnlyList<string> channels, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var rows = new List<(double[], DateTimeOffset)>();
        await ReadAsync(history, twinId, channels, from, to, (row, time) => rows.Add((row, time)), ct);
        return rows;
    }

    /// <summary>
    /// The newest <paramref name="count"/> rows of a twin before <paramref name="until"/>, oldest first. History is read
    /// backwards in growing spans (an hour, then four times more) so a long history is not read whole for a short window.
    /// </summary>
    public static async Task<List<double[]>> ReadLastAsync(IHistoryStore history, string twinId, IReadOnlyList<string> channels, int count, DateTimeOffset until, CancellationToken ct)
    {
        var span = TimeSpan.FromHours(1);
        while (true)
        {
            var from = until - Earliest > span ? until - span : Earliest;
            var rows = new Queue<double[]>(count + 1);
            await ReadAsync(history, twinId, channels, from, until, (row, _) =>
            {
                rows.Enqueue(row);
                if (rows.Count > count)
                {
                    rows.Dequeue();
                }
            }, ct);
            if (rows.Count >= count || from == Earliest)
            {
                return [.. rows];
            }
            span *= 4;
        }
    }

    /// <summary>The twins of a model and its subtypes, each one trajectory of its rows in the range (twins with fewer than <paramref name="minRows"/> rows left out).</summary>
    public static async Task<List<Trajectory>> UnitsAsync(TwinRuntime runtime, Dtmi model, IReadOnlyList<string> channels, DateTimeOffset from, DateTimeOffset to, int minRows, CancellationToken ct)
    {
        var models = runtime.Models.SelfAndDescendants(model);
        var units = new List<Trajectory>();
        foreach (var twin in runtime.Graph.Twins.Where(t => models.Contains(t.Model)).Select(t => t.Id).Order(StringComparer.Ordinal).ToList())
        {
            var rows = await ReadAsync(runtime.History, twin, channels, from, to, ct);
            if (rows.Count >= minRows)
            {
                units.Add(new Trajectory(twin, channels, [.. rows.Select(r => r.Row)]));
            }
        }
        return units;
    }

    private static async Task ReadAsync(IHistoryStore history, string twinId, IReadOnlyList<string> channels, DateTimeOffset from, DateTimeOffset to, Action<double[], DateTimeOffset> row, CancellationToken ct)
    {
        var rows = new TelemetryRows(channels);
        var pending = new List<HistoryPoint>();
        HistoryCursor? after = null;
        do
        {
            var page = await history.ReadAsync(new HistoryRead([twinId], [.. channels], from, to, 10_000, after), ct);
            // A time's points may straddle two pages: the last time of a page waits for the next.
            pending.AddRange(page.Points);
            var complete = page.Next is null ? pending.Count : LastTimeStart(pending);
            rows.AddAll(pending.GetRange(0, complete), row);
            pending.RemoveRange(0, complete);
            after = page.Next;
        }
        while (after is not null);
    }

    private static int LastTimeStart(List<HistoryPoint> points)
    {
        var i = points.Count;
        while (i > 0 && points[i - 1].Time == points[^1].Time)
        {
            i--;
        }
        return i;
    }
}
