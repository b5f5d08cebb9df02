using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Twins.Internal;

namespace Doppel.Twins;

/// <summary>An RFC 6902 JSON Patch restricted as ADT restricts it: only add, replace and remove.</summary>
public sealed class JsonPatchDocument
{
    /// <summary>As request bodies are read: which of two same-named members wins is undefined, so neither does.</summary>
    private static readonly JsonDocumentOptions ParseOptions = new() { AllowDuplicateProperties = false };

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
            // Duplicate names are refused here: a JsonObject reads members lazily and would throw on first use.
            root = JsonNode.Parse(json, documentOptions: ParseOptions);
        }
        catch (JsonException e)
        {
            return Invalid($"The patch document is not valid JSON: {e.Message}");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // The text, or a member name checked for duplicates, holds a lone UTF-16 surrogate (System.Text.Json's own message is about its internals).
            return Invalid("The patch document is not valid text: it holds a lone UTF-16 surrogate.");
        }

        if (root is not JsonArray array)
        {
            return Invalid("The patch document must be a JSON array of operations.");
        }

        if (!Readable(root))
        {
            return Invalid("The patch document is not valid text: a string escapes a lone UTF-16 surrogate (\\uD800 to \\uDFFF without its pair).");
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

    /// <summary>
    /// Whether every name and string can be read as text: System.Text.Json parses an escaped lone surrogate, then
    /// throws when the string is read, which patching a twin does.
    /// </summary>
    private static bool Readable(JsonNode? node)
    {
        try
        {
            Visit(node);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        static void Visit(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (_, value) in o)
                    {
                        Visit(value);
                    }
                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Visit(item);
                    }
                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    _ = v.GetValue<string>();
                    break;
            }
        }
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
