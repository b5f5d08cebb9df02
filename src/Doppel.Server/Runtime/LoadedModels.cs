using System.Text.Json.Nodes;

namespace Doppel.Server.Runtime;

/// <summary>Models loaded from a pack or sample, and those the server had already.</summary>
public sealed record LoadedModels(IReadOnlyList<string> Loaded, IReadOnlyList<string> Existing)
{
    public JsonObject ToJson() => new()
    {
        ["loaded"] = new JsonArray([.. Loaded.Select(id => (JsonNode)id)]),
        ["existing"] = new JsonArray([.. Existing.Select(id => (JsonNode)id)]),
    };
}
