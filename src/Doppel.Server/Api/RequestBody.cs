using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doppel.Server.Api;

/// <summary>Reads and parses request bodies with a size limit and precise JSON error messages.</summary>
internal static class RequestBody
{
    /// <summary>Duplicate keys are refused: which value would win is undefined, so the client must say.</summary>
    public static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    public static async Task<Result<byte[]>> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength is long declared && declared > maxBytes)
        {
            return TooLarge(declared, maxBytes);
        }
        var writer = new ArrayBufferWriter<byte>(request.ContentLength is long n and > 0 ? (int)n : 4096);
        while (true)
        {
            var memory = writer.GetMemory(8192);
            var read = await request.Body.ReadAsync(memory, ct);
            if (read == 0)
            {
                break;
            }
            writer.Advance(read);
            if (writer.WrittenCount > maxBytes)
            {
                return TooLarge(writer.WrittenCount, maxBytes);
            }
        }
        var bytes = writer.WrittenSpan.ToArray();
        Audit.Internal.AuditedBody.Keep(request, bytes);
        return Result<byte[]>.Ok(bytes);
    }

    public static async Task<Result<JsonNode>> ReadJsonAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        var body = await ReadAsync(request, maxBytes, ct);
        return body.IsSuccess ? ParseJson(body.Value) : body.Error;
    }

    public static Result<JsonNode> ParseJson(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return EmptyBody;
        }
        try
        {
            var node = JsonNode.Parse(utf8, documentOptions: Options);
            return node is null ? NullBody : Result<JsonNode>.Ok(node);
        }
        catch (JsonException e)
        {
            return NotJson(e);
        }
        catch (InvalidOperationException)
        {
            return LoneSurrogateName;
        }
    }

    private static readonly DoppelError EmptyBody = new("InvalidArgument", "The request body is empty; a JSON document is required.");

    // System.Text.Json throws this, not a JsonException, when it checks names for duplicates and one escapes half a surrogate pair.
    private static readonly DoppelError LoneSurrogateName = new("InvalidArgument", "The request body is not valid JSON: a member name escapes a lone UTF-16 surrogate (\\uD800 to \\uDFFF without its pair).");

    private static readonly DoppelError NullBody = new("InvalidArgument", "The request body is JSON null; a JSON document is required.");

    private static DoppelError NotJson(JsonException e)
    {
        var where = e.LineNumber is long line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
        return new("InvalidArgument", $"The request body is not valid JSON{where}: {e.Message}");
    }

    /// <summary>The error <see cref="ParseJson"/> would return, or null when the body is a JSON document it would accept.</summary>
    public static DoppelError? CheckJson(byte[] utf8)
    {
        if (utf8.Length == 0)
        {
            return EmptyBody;
        }
        try
        {
            using var document = JsonDocument.Parse(utf8, Options);
            return document.RootElement.ValueKind == JsonValueKind.Null ? NullBody : null;
        }
        catch (JsonException e)
        {
            return NotJson(e);
        }
        catch (InvalidOperationException)
        {
            return LoneSurrogateName;
        }
    }

    /// <summary>Parses a JSON object into an immutable element, with the errors of <see cref="ParseJson"/> and <see cref="ExpectObject"/>.</summary>
    public static Result<JsonElement> ParseObject(string json, string what) => ParseObject(json, utf8: default, what);

    /// <summary>As <see cref="ParseObject(string, string)"/>, from UTF-8 (the element keeps its own copy).</summary>
    public static Result<JsonElement> ParseObject(ReadOnlySpan<byte> utf8, string what) => ParseObject(null, utf8, what);

    private static Result<JsonElement> ParseObject(string? json, ReadOnlySpan<byte> utf8, string what)
    {
        if (json is null ? utf8.IsEmpty : json.Length == 0)
        {
            return EmptyBody;
        }
        try
        {
            var element = json is null ? JsonElement.Parse(utf8, Options) : JsonElement.Parse(json, Options);
            return element.ValueKind switch
            {
                JsonValueKind.Object => Result<JsonElement>.Ok(element),
                JsonValueKind.Null => NullBody,
                _ => Result<JsonElement>.Fail("InvalidArgument", $"The request body must be a JSON object ({what}), got {element.ValueKind}."),
            };
        }
        catch (JsonException e)
        {
            return NotJson(e);
        }
        catch (InvalidOperationException)
        {
            return LoneSurrogateName;
        }
    }

    public static Result<JsonObject> ExpectObject(Result<JsonNode> node, string what) =>
        !node.IsSuccess ? node.Error
        : node.Value is JsonObject o ? Result<JsonObject>.Ok(o)
        : Result<JsonObject>.Fail("InvalidArgument", $"The request body must be a JSON object ({what}), got {node.Value.GetValueKind()}.");

    private static DoppelError TooLarge(long actual, int max) =>
        new("LimitExceeded", $"The request body has {actual} bytes or more; the limit is {max} bytes.");
}
