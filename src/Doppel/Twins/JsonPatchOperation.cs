using System.Text.Json.Nodes;

namespace Doppel.Twins;

/// <summary>One JSON Patch operation: "add", "replace" or "remove", a JSON Pointer path, and the value for add/replace.</summary>
public sealed record JsonPatchOperation(string Op, string Path, JsonNode? Value);
