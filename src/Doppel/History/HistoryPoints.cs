using System.Text.Json;
using Doppel.Twins;
using Doppel.Twins.Internal;

namespace Doppel.History;

/// <summary>Turns telemetry messages and twin changes into history points.</summary>
public static class HistoryPoints
{
    /// <summary>One point per member of a telemetry object, named <c>component.name</c> for a component's telemetry.</summary>
    public static List<HistoryPoint> Telemetry(string twinId, string? component, JsonElement payload, DateTimeOffset time, string? messageId)
    {
        var points = new List<HistoryPoint>();
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return points;
        }
        foreach (var member in payload.EnumerateObject())
        {
            if (!member.Name.StartsWith('$'))
            {
                points.Add(Point(twinId, Qualify(component, member.Name), time, HistoryKind.Telemetry, member.Value, messageId));
            }
        }
        return points;
    }

    /// <summary>One reported property value at its source time.</summary>
    public static HistoryPoint Property(string twinId, string? component, string name, JsonElement value, DateTimeOffset time, string? messageId) =>
        Point(twinId, Qualify(component, name), time, HistoryKind.Property, value, messageId);

    /// <summary>
    /// The property values that <paramref name="after"/> set or removed relative to <paramref name="before"/> (null for a
    /// new twin), each at its source time when the writer gave one, else at its update time. A removal is a JSON null.
    /// </summary>
    public static List<HistoryPoint> PropertyChanges(TwinDocument? before, TwinDocument after)
    {
        var points = new List<HistoryPoint>();
        Compare(after.Id, null, before?.PropertyStates, after.PropertyStates, after.LastUpdateTime, points);
        foreach (var (name, component) in after.ComponentStates)
        {
            var old = before is not null && before.ComponentStates.TryGetValue(name, out var c) ? c.Properties : null;
            Compare(after.Id, name, old, component.Properties, after.LastUpdateTime, points);
        }
        if (before is not null)
        {
            foreach (var (name, component) in before.ComponentStates)
            {
                if (!after.ComponentStates.ContainsKey(name))
                {
                    Compare(after.Id, name, component.Properties, PatchScope.NoProperties, after.LastUpdateTime, points);
                }
            }
        }
        return points;
    }

    private static void Compare(string twinId, string? component, Dictionary<string, PropertyState>? before, Dictionary<string, PropertyState> after, DateTimeOffset now, List<HistoryPoint> points)
    {
        foreach (var (name, state) in after)
        {
            // Untouched properties keep their state object from version to version.
            if (before is null || !before.TryGetValue(name, out var old) || !ReferenceEquals(old, state))
            {
                points.Add(Point(twinId, Qualify(component, name), state.SourceTime ?? state.LastUpdateTime, HistoryKind.Property, state.Value, null));
            }
        }
        if (before is null)
        {
            return;
        }
        foreach (var (name, _) in before)
        {
            if (!after.ContainsKey(name))
            {
                points.Add(new HistoryPoint(twinId, Qualify(component, name), now, HistoryKind.Property, null, "null"));
            }
        }
    }

    private static string Qualify(string? component, string name) => component is null ? name : component + "." + name;

    private static HistoryPoint Point(string twinId, string name, DateTimeOffset time, HistoryKind kind, JsonElement value, string? messageId) =>
        value.ValueKind switch
        {
            JsonValueKind.Number => new(twinId, name, time, kind, value.GetDouble(), null, messageId),
            JsonValueKind.True => new(twinId, name, time, kind, 1, "true", messageId),
            JsonValueKind.False => new(twinId, name, time, kind, 0, "false", messageId),
            _ => new(twinId, name, time, kind, null, value.GetRawText(), messageId),
        };
}
