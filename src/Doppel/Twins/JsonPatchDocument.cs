using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Twins.Internal;

namespace Doppel.Twins;

/// <summary>An RFC 6902 JSON Patch restricted as ADT restricts it: only add, replace and remove.</summary>
public sealed class JsonPatchDocument
{
    private JsonPatchDocument(IReadOnlyList<JsonPatchOperation> operations) => Operations = operations;

    public IReadOnlyList<JsonPatchOperation> Operations { get; }

    /// <summary>A patch made of <paramref name="operations"/>, checked as <see cref="Parse"/> checks them.</summary>
    public static Result<JsonPatchDocument> Create(IEnumerable<JsonPatchOperation> operations)
    {
        var list = new List<JsonPatchOperation>(operations);
        for (var i = 0; i < list.Count; i++)
        {
            if (Check(i, list[i].Op, list[i].Path, hasValue: list[i].Op == "remove" || list[i].Value is not null) is { } error)
            {
                return error;
            }
        }

        return Result<JsonPatchDocument>.Ok(new JsonPatchDocument(list));
    }

    /// <summary>Parses a patch document; failures are "JsonPatchInvalid" naming the offending operation's index.</summary>
    public static Result<JsonPatchDocument> Parse(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            return Invalid($"The patch document is not valid JSON: {e.Message}");
        }

        if (root is not JsonArray array)
        {
            return Invalid("The patch document must be a JSON array of operations.");
        }

        var operations = new JsonPatchOperation[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject item)
            {
                return Invalid($"Operation {i} must be a JSON object.");
            }

            if (!TryGetString(item, "op", out var op))
            {
                return Invalid($"Operation {i} has no string 'op'.");
            }

            if (!TryGetString(item, "path", out var path))
            {
                return Invalid($"Operation {i} has no string 'path'.");
            }

            var hasValue = item.TryGetPropertyValue("value", out var value);
            if (Check(i, op, path, hasValue) is { } error)
            {
                return error;
            }

            operations[i] = new JsonPatchOperation(op, path, value);
        }

        return Result<JsonPatchDocument>.Ok(new JsonPatchDocument(operations));
    }

    internal static JsonPatchDocument FromValidated(IReadOnlyList<JsonPatchOperation> operations) => new(operations);

    private static DoppelError? Check(int index, string op, string path, bool hasValue)
    {
        if (op is not ("add" or "replace" or "remove"))
        {
            return new DoppelError(ErrorCodes.JsonPatchInvalid, $"Operation {index}: op '{op}' is not supported; only add, replace and remove are.");
        }

        if (!JsonPointer.IsValid(path))
        {
            return new DoppelError(ErrorCodes.JsonPatchInvalid, $"Operation {index}: path '{path}' is not a valid JSON Pointer.");
        }

        if (op != "remove" && !hasValue)
        {
            return new DoppelError(ErrorCodes.JsonPatchInvalid, $"Operation {index}: '{op}' requires a 'value'.");
        }

        return null;
    }

    private static bool TryGetString(JsonObject item, string name, out string value)
    {
        if (item.TryGetPropertyValue(name, out var node) && node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return true;
        }

        value = "";
        return false;
    }

    private static DoppelError Invalid(string message) => new(ErrorCodes.JsonPatchInvalid, message);
}
