using System.Text.Json.Nodes;
using Doppel.Rules;
using Doppel.Security;

namespace Doppel.Server.Runtime;

/// <summary>An ADT event route: where events matching a filter go.</summary>
public sealed record EventRoute(string Id, string EndpointName, string Filter)
{
    /// <summary>The filter parsed once; null for a stored filter that no longer parses (the route then matches nothing).</summary>
    public EventFilter? CompiledFilter { get; init; }

    /// <summary>
    /// Who created the route, and the role it had: the route delivers only the events that subject may read, under its
    /// rights of the moment (a revoked key's routes deliver nothing). Null for routes stored before access control.
    /// </summary>
    public Subject? CreatedBy { get; init; }

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["id"] = Id, ["endpointName"] = EndpointName, ["filter"] = Filter };
        if (CreatedBy is { } subject)
        {
            json["createdBy"] = subject.Id;
            json["createdByRole"] = subject.Role.Name();
        }
        return json;
    }

    public static EventRoute FromJson(string id, string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        var filter = (string)node["filter"]!;
        var createdBy = node["createdBy"] is JsonValue by && by.TryGetValue<string>(out var subject)
            ? new Subject(subject, Roles.Find((string?)node["createdByRole"] ?? "none") ?? Role.None)
            : null;
        return new EventRoute(id, (string)node["endpointName"]!, filter) { CompiledFilter = EventFilter.Parse(filter).Value, CreatedBy = createdBy };
    }
}
