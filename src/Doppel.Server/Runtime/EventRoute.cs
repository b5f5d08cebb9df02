using System.Text.Json.Nodes;
using Doppel.Rules;

namespace Doppel.Server.Runtime;

/// <summary>An ADT event route: where events matching a filter go.</summary>
public sealed record EventRoute(string Id, string EndpointName, string Filter)
{
    /// <summary>The filter parsed once; null for a stored filter that no longer parses (the route then matches nothing).</summary>
    public EventFilter? CompiledFilter { get; init; }

    public JsonObject ToJson() => new() { ["id"] = Id, ["endpointName"] = EndpointName, ["filter"] = Filter };

    public static EventRoute FromJson(string id, string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        var filter = (string)node["filter"]!;
        return new EventRoute(id, (string)node["endpointName"]!, filter) { CompiledFilter = EventFilter.Parse(filter).Value };
    }
}
