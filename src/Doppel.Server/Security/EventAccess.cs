using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Events;
using Doppel.Security;
using Doppel.Twins;

namespace Doppel.Server.Security;

/// <summary>
/// Which events a subject may receive, on live streams and through the event routes it created: those of twins it may
/// read (relationship events: the source's relationships; telemetry: the twin's telemetry), and, where a policy hides
/// properties, none that carries a hidden property.
/// </summary>
internal static class EventAccess
{
    /// <summary>A predicate for the subject's events; null when it may receive every event.</summary>
    public static Func<TwinEvent, bool>? Filter(AccessRules rules, TwinGraph graph)
    {
        if (rules.AllowsEverywhere(Resource.Twins, Access.Read) && rules.AllowsEverywhere(Resource.Relationships, Access.Read)
            && rules.AllowsEverywhere(Resource.Telemetry, Access.Read) && !rules.MayHideProperties)
        {
            return null;
        }
        return e => Visible(rules, graph, e);
    }

    /// <summary>True when the subject may receive the event.</summary>
    public static bool Allows(AccessRules rules, TwinGraph graph, TwinEvent e) => Filter(rules, graph) is not { } filter || filter(e);

    private static bool Visible(AccessRules rules, TwinGraph graph, TwinEvent e)
    {
        var twin = graph.TryGetTwin(e.TwinId, out var live) ? new TwinView(live)
            : e.Type == TwinEventTypes.TwinDelete && Parse(e) is { } deleted ? new TwinView(e.TwinId, deleted)
            : new TwinView(e.TwinId, new JsonObject { ["$dtId"] = e.TwinId });
        if (!rules.Allows(Resource.Twins, Access.Read, twin))
        {
            return false;
        }
        if (e.Type == TwinEventTypes.Telemetry)
        {
            return rules.Allows(Resource.Telemetry, Access.Read, twin);
        }
        if (e.Type.StartsWith("doppel.alert.", StringComparison.Ordinal))
        {
            return true; // an alert is visible to whoever may read its twin
        }
        if (e.Type.StartsWith("Microsoft.DigitalTwins.Relationship.", StringComparison.Ordinal))
        {
            return rules.Allows(Resource.Relationships, Access.Read, twin);
        }
        return !rules.MayHideProperties || !CarriesHidden(rules, twin, e);
    }

    /// <summary>True when a twin event names a property hidden from the subject: in a create or delete body, or a patch path.</summary>
    private static bool CarriesHidden(AccessRules rules, TwinView twin, TwinEvent e)
    {
        using var document = JsonDocument.Parse(e.Data);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("patch", out var patch) && patch.ValueKind == JsonValueKind.Array)
        {
            foreach (var op in patch.EnumerateArray())
            {
                if (op.TryGetProperty("path", out var path) && path.GetString() is { } p && !rules.AllowsProperty(Access.Read, twin, FirstSegment(p)))
                {
                    return true;
                }
            }
            return false;
        }
        if (root.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in root.EnumerateObject())
            {
                if (!property.Name.StartsWith('$') && !rules.AllowsProperty(Access.Read, twin, property.Name))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static JsonObject? Parse(TwinEvent e)
    {
        try
        {
            return JsonNode.Parse(e.Data.Span) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string FirstSegment(string path)
    {
        var trimmed = path.TrimStart('/');
        var end = trimmed.IndexOf('/', StringComparison.Ordinal);
        return (end < 0 ? trimmed : trimmed[..end]).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
    }
}
