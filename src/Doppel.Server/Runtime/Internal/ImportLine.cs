using System.Text;
using System.Text.Json;
using Doppel.Server.Api;

namespace Doppel.Server.Runtime.Internal;

/// <summary>
/// Parses one line of an import file as a JSON object. Its errors say where in the line (the column) and why; the log
/// entry that carries them has the file's line number, so nothing here counts lines from the item's own start.
/// </summary>
internal static class ImportLine
{
    public static Result<JsonElement> ParseObject(ReadOnlySpan<byte> utf8, string what)
    {
        if (utf8.IsEmpty)
        {
            return Result<JsonElement>.Fail("InvalidArgument", $"The line is empty; {what} is a JSON object.");
        }
        try
        {
            var element = JsonElement.Parse(utf8, RequestBody.Options);
            return element.ValueKind == JsonValueKind.Object
                ? Result<JsonElement>.Ok(element)
                : Result<JsonElement>.Fail("InvalidArgument", $"The line must be a JSON object ({what}), got {element.ValueKind}.");
        }
        catch (JsonException e)
        {
            return Result<JsonElement>.Fail("InvalidArgument", NotJson(utf8, e));
        }
    }

    /// <summary>"Not valid JSON at column 17: reason", the column counted in characters of the line.</summary>
    public static string NotJson(ReadOnlySpan<byte> utf8, JsonException e)
    {
        var at = (int)Math.Min(e.BytePositionInLine ?? 0, utf8.Length);
        var column = (e.LineNumber ?? 0) == 0 ? Encoding.UTF8.GetCharCount(utf8[..at]) + 1 : (long?)null;
        return column is { } c ? $"Not valid JSON at column {c}: {Reason(e)}." : $"Not valid JSON: {Reason(e)}.";
    }

    private static string Reason(JsonException e) => JsonErrorText.Reason(e);
}
