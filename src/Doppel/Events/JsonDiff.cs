using System.Text.Json;

namespace Doppel.Events;

/// <summary>Writes the RFC 6902 JSON Patch that turns one JSON object into another: objects are compared member by member, anything else is replaced whole.</summary>
public static class JsonDiff
{
    /// <summary>Writes the operations into an array the caller opened; returns how many were written.</summary>
    /// <param name="writer">Positioned inside an open JSON array.</param>
    /// <param name="before">The object as it was.</param>
    /// <param name="after">The object as it is.</param>
    /// <param name="skip">Members (given the parent's pointer and the member name) left out of the comparison.</param>
    public static int Write(Utf8JsonWriter writer, JsonElement before, JsonElement after, Func<string, string, bool>? skip = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return Diff(writer, "", before, after, skip ?? ((_, _) => false));
    }

    private static int Diff(Utf8JsonWriter writer, string path, JsonElement before, JsonElement after, Func<string, string, bool> skip)
    {
        var count = 0;
        foreach (var member in before.EnumerateObject())
        {
            if (!skip(path, member.Name) && !after.TryGetProperty(member.Name, out _))
            {
                Operation(writer, "remove", Pointer(path, member.Name), null);
                count++;
            }
        }
        foreach (var member in after.EnumerateObject())
        {
            if (skip(path, member.Name))
            {
                continue;
            }
            var pointer = Pointer(path, member.Name);
            if (!before.TryGetProperty(member.Name, out var old))
            {
                Operation(writer, "add", pointer, member.Value);
                count++;
            }
            else if (old.ValueKind == JsonValueKind.Object && member.Value.ValueKind == JsonValueKind.Object)
            {
                count += Diff(writer, pointer, old, member.Value, skip);
            }
            else if (!JsonElement.DeepEquals(old, member.Value))
            {
                Operation(writer, "replace", pointer, member.Value);
                count++;
            }
        }
        return count;
    }

    private static void Operation(Utf8JsonWriter writer, string op, string path, JsonElement? value)
    {
        writer.WriteStartObject();
        writer.WriteString("op"u8, op);
        writer.WriteString("path"u8, path);
        if (value is { } v)
        {
            writer.WritePropertyName("value"u8);
            v.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    private static string Pointer(string parent, string name) => parent + "/" + name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
