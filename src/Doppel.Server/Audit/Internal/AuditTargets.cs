using System.Text;
using System.Text.Json;
using Doppel.Server.Api;

namespace Doppel.Server.Audit.Internal;

/// <summary>
/// What an audited request changed: the resources' ids and a short summary each. Summaries name what changed (paths,
/// a model, a route's filter), never values that may be secret (property values, webhook headers, keys, addresses).
/// A body the handler refused (not JSON, wrong shape) gives no summary; describing never throws.
/// </summary>
internal static class AuditTargets
{
    /// <summary>An audited request after its handler ran.</summary>
    public readonly record struct Request(HttpContext Http, byte[]? Body, object? Result, int Status);

    public delegate IReadOnlyList<(string Id, string? Summary)> Describe(Request request);

    /// <summary>The resource the route names (<c>{id}</c> or <c>{name}</c>; <c>{id}/{relationshipId}</c> for a relationship).</summary>
    public static IReadOnlyList<(string Id, string? Summary)> RouteId(Request request) => [(Id(request), null)];

    /// <summary>A JSON Patch: its operations and paths, e.g. <c>replace /speed, remove /alarm</c>; never the values.</summary>
    public static IReadOnlyList<(string Id, string? Summary)> JsonPatch(Request request) => [(Id(request), PatchPaths(request.Body))];

    /// <summary>A component's JSON Patch: the component and the paths.</summary>
    public static IReadOnlyList<(string Id, string? Summary)> ComponentPatch(Request request) =>
        [(Id(request), $"component {request.Http.GetRouteValue("componentPath")}: {PatchPaths(request.Body)}")];

    /// <summary>A twin written whole: its model and its top-level property names.</summary>
    public static IReadOnlyList<(string Id, string? Summary)> TwinPut(Request request) => [(Id(request), Read(request.Body, root =>
    {
        var model = root.TryGetProperty("$metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("$model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        var names = root.EnumerateObject().Select(p => p.Name).Where(n => !n.StartsWith('$')).ToList();
        return $"model {model}" + (names.Count > 0 ? "; properties " + string.Join(", ", names) : "");
    }))];

    /// <summary>A relationship written whole: its name and target.</summary>
    public static IReadOnlyList<(string Id, string? Summary)> RelationshipPut(Request request) => [(Id(request), Read(request.Body, root =>
        $"{Text(root, "$relationshipName")} -> {Text(root, "$targetId")}"))];

    /// <summary>A model upload: one record per model id in the body.</summary>
    public static IReadOnlyList<(string Id, string? Summary)> Models(Request request)
    {
        var ids = Read(request.Body, root => root.ValueKind == JsonValueKind.Array
            ? root.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.Object ? Text(m, "@id") : null).OfType<string>().ToList()
            : null);
        return ids is { Count: > 0 }
            ? ids.Select(id => (id, (string?)(ids.Count == 1 ? null : $"one of {ids.Count} models uploaded together"))).ToList()
            : [("", null)];
    }

    /// <summary>An event route: its endpoint and filter.</summary>
    public static IReadOnlyList<(string Id, string? Summary)> RoutePut(Request request) => [(Id(request), Read(request.Body, root =>
        $"endpoint {Text(root, "endpointName")}; filter {Text(root, "filter")}"))];

    /// <summary>A delivery endpoint: its type only (its address and headers may hold secrets).</summary>
    public static IReadOnlyList<(string Id, string? Summary)> EndpointPut(Request request) => [(Id(request), Read(request.Body, root => $"type {Text(root, "type")}"))];

    /// <summary>An API key by the name in the request (never its secret, which only the answer carries), with its role.</summary>
    public static IReadOnlyList<(string Id, string? Summary)> KeyCreate(Request request) =>
        [(Read(request.Body, root => Text(root, "name")) ?? "", Read(request.Body, root => $"role {Text(root, "role") ?? "none"}"))];

    /// <summary>A resource the server names in its answer (a run, a delete job): the last segment of its Location, else the answer's <c>id</c>.</summary>
    public static IReadOnlyList<(string Id, string? Summary)> AnsweredId(Request request)
    {
        var location = request.Http.Response.Headers.Location.ToString();
        var id = Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Segments.Length > 1 ? Uri.UnescapeDataString(uri.Segments[^1])
            : request.Result is Responses.JsonText { Utf8Body: { } answer } ? Read(answer.ToArray(), root => Text(root, "id"))
            : null;
        return [(id ?? "", null)];
    }

    private static string Id(Request request)
    {
        var values = request.Http.Request.RouteValues;
        var id = values["id"] as string ?? values["name"] as string ?? "";
        return values["relationshipId"] is string relationship ? $"{id}/{relationship}" : id;
    }

    private static string? PatchPaths(byte[]? body) => Read(body, root =>
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var summary = new StringBuilder();
        foreach (var operation in root.EnumerateArray())
        {
            if (operation.ValueKind == JsonValueKind.Object)
            {
                summary.Append(summary.Length == 0 ? "" : ", ").Append(Text(operation, "op")).Append(' ').Append(Text(operation, "path"));
            }
        }
        return summary.ToString();
    });

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static T? Read<T>(byte[]? body, Func<JsonElement, T?> describe)
        where T : class
    {
        if (body is not { Length: > 0 })
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            return describe(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
