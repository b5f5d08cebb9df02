using System.Buffers;
using System.Text.Json;

namespace Doppel.Modeling.Internal;

/// <summary>Rewrites of a document into the one form the reader expects, where JSON-LD gives two forms one meaning.</summary>
internal static class JsonLdForms
{
    /// <summary>
    /// True when an array holds an array, in the root array or in a member's value (not under a keyword), which JSON-LD
    /// expansion flattens.
    /// </summary>
    public static bool HasNestedArray(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Array || HasNestedArray(item))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Object:
                foreach (var member in e.EnumerateObject())
                {
                    if (!member.Name.StartsWith('@') && HasNestedArray(member.Value))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// DTDL "conforms with the JSON and JSON-LD 1.1 specifications" (DTDL.v3.md, DTDL.v4.md), and JSON-LD expansion
    /// flattens an array nested in an array: <c>[["a"], "b"]</c> means <c>["a", "b"]</c>, <c>[[]]</c> no value, and a root
    /// <c>[[{…}]]</c> the root <c>[{…}]</c> (Expansion Algorithm: "If expanded item is an array, append each of its items
    /// to result"; no DTDL member is a list container). Keyword members (@context, @type, @id, @value, …) keep their
    /// values: JSON-LD refuses arrays of arrays there. Member names, their order and repetitions, strings and number
    /// texts stay as written; array indexes in error paths are those of the flattened form.
    /// </summary>
    public static JsonElement FlattenNestedArrays(JsonElement root)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, MaxDepth = 1024 }))
        {
            Write(root, writer);
        }

        using var flattened = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = 1024 });
        return flattened.RootElement.Clone();
    }

    private static void Write(JsonElement e, Utf8JsonWriter writer)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var member in e.EnumerateObject())
                {
                    writer.WritePropertyName(member.Name);
                    if (member.Name.StartsWith('@'))
                    {
                        member.Value.WriteTo(writer);
                    }
                    else
                    {
                        Write(member.Value, writer);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                WriteItems(e, writer);
                writer.WriteEndArray();
                break;
            default:
                writer.WriteRawValue(e.GetRawText(), skipInputValidation: true);
                break;
        }
    }

    private static void WriteItems(JsonElement array, Utf8JsonWriter writer)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                WriteItems(item, writer);
            }
            else
            {
                Write(item, writer);
            }
        }
    }
}
