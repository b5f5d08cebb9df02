using System.Collections.Concurrent;
using Doppel.History;

namespace Doppel.Ingest;

/// <summary>
/// The newest value of each telemetry of each twin: the live side of a twin that its document (properties only, as in ADT)
/// does not hold. The newest source time wins, so a late point lands in history without moving this backwards.
/// </summary>
public sealed class LiveTelemetry
{
    private readonly ConcurrentDictionary<string, Dictionary<string, HistoryPoint>> _twins = new(StringComparer.Ordinal);

    /// <summary>Takes the points that are newer than what is held (equal times: the later arrival wins).</summary>
    public void Apply(IReadOnlyList<HistoryPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            var values = _twins.GetOrAdd(point.TwinId, static _ => new Dictionary<string, HistoryPoint>(StringComparer.Ordinal));
            lock (values)
            {
                if (!values.TryGetValue(point.Name, out var held) || held.Time <= point.Time)
                {
                    values[point.Name] = point;
                }
            }
        }
    }

    /// <summary>A copy of a twin's newest values by name; empty when none arrived.</summary>
    public IReadOnlyDictionary<string, HistoryPoint> Get(string twinId)
    {
        if (!_twins.TryGetValue(twinId, out var values))
        {
            return new Dictionary<string, HistoryPoint>();
        }
        lock (values)
        {
            return new Dictionary<string, HistoryPoint>(values, StringComparer.Ordinal);
        }
    }

    /// <summary>Forgets a deleted twin.</summary>
    public void Remove(string twinId) => _twins.TryRemove(twinId, out _);

    /// <summary>How many twins have live values.</summary>
    public int Count => _twins.Count;
}
