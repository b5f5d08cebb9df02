using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Query;
using Doppel.Security;
using Doppel.Twins;

namespace Doppel.Server.Security;

/// <summary>
/// The per-twin checks of the twin endpoints, with a fast path: when no policy narrows the subject's rights on a
/// resource, nothing is evaluated per twin.
/// </summary>
internal static class TwinAccess
{
    /// <summary>Null when the subject may do this with the twin's resource, else the 403.</summary>
    public static IResult? Check(HttpContext context, Resource resource, Access access, TwinDocument twin)
    {
        var rules = context.Access();
        return rules.AllowsEverywhere(resource, access) || rules.Allows(resource, access, new TwinView(twin))
            ? null
            : RequestAccess.Deny(context, resource, access, $"twin '{twin.Id}'");
    }

    /// <summary>Null when the subject may write the twin as the body describes it (creating or replacing it), else the 403.</summary>
    public static IResult? CheckNew(HttpContext context, string id, string body)
    {
        var rules = context.Access();
        if (rules.AllowsEverywhere(Resource.Twins, Access.Write))
        {
            return null;
        }
        JsonObject? document;
        try
        {
            document = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            document = null;
        }
        // A body that is not an object fails validation later; judged here as the id alone.
        document ??= [];
        document["$dtId"] = id;
        return rules.Allows(Resource.Twins, Access.Write, new TwinView(id, document)) ? null : RequestAccess.Deny(context, Resource.Twins, Access.Write, $"twin '{id}' as written");
    }

    /// <summary>Null when the subject may write every property a JSON Patch touches (its first path segment), else the 403.</summary>
    public static IResult? CheckPatch(HttpContext context, TwinDocument twin, string patch, string? component = null)
    {
        var rules = context.Access();
        if (rules.AllowsEverywhere(Resource.Properties, Access.Write))
        {
            return null;
        }
        var view = new TwinView(twin);
        if (component is not null)
        {
            return rules.AllowsProperty(Access.Write, view, component) ? null : DenyProperty(context, twin, component);
        }
        // A malformed patch is refused by the grain with its own message; only well-formed paths are judged here.
        if (JsonPatchDocument.Parse(patch) is { IsSuccess: true } parsed)
        {
            foreach (var op in parsed.Value.Operations)
            {
                var property = FirstSegment(op.Path);
                if (!rules.AllowsProperty(Access.Write, view, property))
                {
                    return DenyProperty(context, twin, property);
                }
            }
        }
        return null;
    }

    /// <summary>The twin's document as the subject may see it: without the properties (and their metadata) a policy hides.</summary>
    public static ReadOnlyMemory<byte>? Redacted(HttpContext context, TwinDocument twin)
    {
        var rules = context.Access();
        if (!rules.MayHideProperties)
        {
            return null;
        }
        return Redact(rules, twin) is { } json ? JsonSerializer.SerializeToUtf8Bytes(json) : null;
    }

    /// <summary>A copy of a twin the subject may read, without the properties hidden from it; null when nothing is hidden.</summary>
    public static JsonObject? Redact(AccessRules rules, TwinDocument twin)
    {
        var view = new TwinView(twin);
        JsonObject? json = null;
        // On a twin it may read, only a property revocation hides something: the names revocations give are enough.
        var names = rules.HideableProperties is { } hideable ? hideable.Where(n => twin.TryGetProperty(n, out _) || twin.ComponentNames.Contains(n)) : Names(twin);
        foreach (var name in names)
        {
            if (rules.Hides(view, name))
            {
                json ??= twin.ToJson();
                json.Remove(name);
                (json["$metadata"] as JsonObject)?.Remove(name);
            }
        }
        return json;
    }

    /// <summary>What the subject may see of the graph in queries; null when it may see everything.</summary>
    public static TwinVisibility? Visibility(AccessRules rules, TwinGraph graph)
    {
        var twins = rules.AllowsEverywhere(Resource.Twins, Access.Read);
        var relationships = rules.AllowsEverywhere(Resource.Relationships, Access.Read);
        if (twins && relationships && !rules.MayHideProperties)
        {
            return null;
        }
        return new TwinVisibility(
            twins ? _ => true : twin => rules.Allows(Resource.Twins, Access.Read, new TwinView(twin)),
            relationships ? _ => true : r => graph.TryGetTwin(r.SourceId, out var source) && rules.Allows(Resource.Relationships, Access.Read, new TwinView(source)),
            rules.MayHideProperties ? twin => Redact(rules, twin) : null);
    }

    private static IEnumerable<string> Names(TwinDocument twin)
    {
        using var document = JsonDocument.Parse(twin.Utf8Json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (!property.Name.StartsWith('$'))
            {
                yield return property.Name;
            }
        }
    }

    private static IResult DenyProperty(HttpContext context, TwinDocument twin, string property) =>
        RequestAccess.Deny(context, Resource.Properties, Access.Write, $"twin '{twin.Id}' ('{property}')");

    private static string FirstSegment(string path)
    {
        var trimmed = path.StartsWith('/') ? path[1..] : path;
        var end = trimmed.IndexOf('/', StringComparison.Ordinal);
        var segment = end < 0 ? trimmed : trimmed[..end];
        return segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
    }
}
