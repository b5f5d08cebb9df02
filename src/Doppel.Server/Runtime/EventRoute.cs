using System.Text.Json.Nodes;

namespace Doppel.Server.Runtime;

/// <summary>An ADT event route: where events matching a filter go.</summary>
public sealed record EventRoute(string Id, string EndpointName, string Filter)
{
    public JsonObject ToJson() => new() { ["id"] = Id, ["endpointName"] = EndpointName, ["filter"] = Filter };

    public static EventRoute FromJson(string id, string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        return new EventRoute(id, (string)node["endpointName"]!, (string)node["filter"]!);
    }
}
