using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Doppel.Twins.Internal;

/// <summary>Conversions between JSON nodes, elements and ADT timestamps.</summary>
internal static partial class JsonText
{
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    // A UTC DateTime's round-trip format ("O") is exactly TimestampFormat, and has a fast path that a custom format
    // string does not (twins are serialized with a timestamp per property, so this adds up in bulk imports).
    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="t"/> as an ADT timestamp string, formatted straight to UTF-8 (no string).</summary>
    public static void WriteTimestamp(Utf8JsonWriter writer, ReadOnlySpan<byte> name, DateTimeOffset t)
    {
        Span<byte> utf8 = stackalloc byte[32];
        if (!t.UtcDateTime.TryFormat(utf8, out var written, "O", CultureInfo.InvariantCulture))
        {
            writer.WriteString(name, Timestamp(t));
            return;
        }

        writer.WriteString(name, utf8[..written]);
    }

    /// <summary>An immutable element equal to <paramref name="node"/>, and its UTF-8 JSON size.</summary>
    public static JsonElement ToElement(JsonNode? node, out int size)
    {
        if (node is JsonValue v && v.TryGetValue(out JsonElement e))
        {
            e = e.Clone();
            size = SizeOf(e);
            return e;
        }

        var bytes = node is null ? "null"u8.ToArray() : JsonSerializer.SerializeToUtf8Bytes(node, JsonContext.Default.JsonNode);
        size = bytes.Length;
        return JsonElement.Parse(bytes);
    }

    public static int SizeOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True => 4,
        JsonValueKind.False => 5,
        JsonValueKind.Null => 4,
        // A number or string is measured as written (quotes and escapes included), without decoding it.
        JsonValueKind.Number or JsonValueKind.String => System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element).Length,
        _ => JsonSerializer.SerializeToUtf8Bytes(element, JsonContext.Default.JsonElement).Length,
    };

    /// <summary>A fresh, mutable node equal to <paramref name="element"/>.</summary>
    public static JsonNode? ToNode(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => JsonObject.Create(element),
        JsonValueKind.Array => JsonArray.Create(element),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => JsonValue.Create(element),
    };

    public static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    /// <summary>Parses an RFC 3339 date-time; fractions beyond 100 ns are truncated.</summary>
    public static bool TryParseDateTime(string s, out DateTimeOffset value)
    {
        value = default;
        var m = Rfc3339().Match(s);
        if (!m.Success)
        {
            return false;
        }

        var fraction = m.Groups["f"].Value;
        if (fraction.Length > 7)
        {
            fraction = fraction[..7];
        }

        var offset = m.Groups["o"].Value;
        if (offset is "z" or "Z")
        {
            offset = "+00:00";
        }

        var normalized = $"{m.Groups["d"].Value}T{m.Groups["t"].Value}{(fraction.Length > 0 ? "." + fraction.PadRight(7, '0') : ".0000000")}{offset}";
        return DateTimeOffset.TryParseExact(normalized, "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    public static bool IsDate(string s) =>
        s.Length == 10 && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    public static bool IsTime(string s)
    {
        var m = Rfc3339Time().Match(s);
        return m.Success && TimeOnly.TryParseExact(m.Groups["t"].Value, "HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    public static bool IsDuration(string s) => s.Length > 1 && IsoDuration().IsMatch(s);

    [GeneratedRegex(@"^(?<d>\d{4}-\d{2}-\d{2})[Tt ](?<t>\d{2}:\d{2}:\d{2})(?:\.(?<f>\d+))?(?<o>[Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"^(?<t>\d{2}:\d{2}:\d{2})(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339Time();

    [GeneratedRegex(@"^-?P(?=\d|T\d)(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?W)?(?:\d+(?:[.,]\d+)?D)?(?:T(?=\d)(?:\d+(?:[.,]\d+)?H)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDuration();
}
