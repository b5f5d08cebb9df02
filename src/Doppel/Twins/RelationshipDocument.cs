using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Twins.Internal;

namespace Doppel.Twins;

/// <summary>An immutable relationship: identity, source, target, name, etag and property values.</summary>
public sealed class RelationshipDocument
{
    internal RelationshipDocument(string id, string sourceId, string targetId, string name, string etag, Dictionary<string, PropertyState> properties)
    {
        Id = id;
        SourceId = sourceId;
        TargetId = targetId;
        Name = name;
        ETag = etag;
        PropertyStates = properties;
    }

    public string Id { get; }

    public string SourceId { get; }

    public string TargetId { get; }

    public string Name { get; }

    public string ETag { get; }

    /// <summary>The relationship's property values.</summary>
    public IEnumerable<KeyValuePair<string, JsonElement>> Properties
    {
        get
        {
            foreach (var (name, p) in PropertyStates)
            {
                yield return new(name, p.Value);
            }
        }
    }

    internal Dictionary<string, PropertyState> PropertyStates { get; }

    public bool TryGetProperty(string name, out JsonElement value)
    {
        if (PropertyStates.TryGetValue(name, out var p))
        {
            value = p.Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>A fresh deep copy in ADT's relationship shape.</summary>
    public JsonObject ToJson()
    {
        var obj = new JsonObject
        {
            ["$relationshipId"] = Id,
            ["$etag"] = ETag,
            ["$sourceId"] = SourceId,
            ["$relationshipName"] = Name,
            ["$targetId"] = TargetId,
        };
        foreach (var (name, p) in PropertyStates)
        {
            obj[name] = JsonText.ToNode(p.Value);
        }

        return obj;
    }

    public string ToJsonString() => Encoding.UTF8.GetString(ToUtf8Json());

    /// <summary>The relationship as compact UTF-8 JSON, a fresh array.</summary>
    public byte[] ToUtf8Json()
    {
        return JsonScratch.ToArray(this, static (document, writer) => document.WriteTo(writer));
    }

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("$relationshipId"u8, Id);
        writer.WriteString("$etag"u8, ETag);
        writer.WriteString("$sourceId"u8, SourceId);
        writer.WriteString("$relationshipName"u8, Name);
        writer.WriteString("$targetId"u8, TargetId);
        foreach (var (name, p) in PropertyStates)
        {
            writer.WritePropertyName(name);
            p.Value.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>The item listed by <c>GET /digitaltwins/{id}/incomingrelationships</c>.</summary>
    public JsonObject ToIncomingJson() => new()
    {
        ["$relationshipId"] = Id,
        ["$sourceId"] = SourceId,
        ["$relationshipName"] = Name,
        ["$relationshipLink"] = $"/digitaltwins/{Uri.EscapeDataString(SourceId)}/relationships/{Uri.EscapeDataString(Id)}",
    };

    /// <summary>Reads a relationship written by <see cref="ToJsonString"/>; throws on malformed input.</summary>
    public static RelationshipDocument FromStoredJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var properties = new Dictionary<string, PropertyState>(StringComparer.Ordinal);
        foreach (var member in root.EnumerateObject())
        {
            if (!member.Name.StartsWith('$'))
            {
                var value = member.Value.Clone();
                properties[member.Name] = new PropertyState(value, JsonText.SizeOf(value), default, null);
            }
        }

        return new RelationshipDocument(
            root.GetProperty("$relationshipId").GetString()!,
            root.GetProperty("$sourceId").GetString()!,
            root.GetProperty("$targetId").GetString()!,
            root.GetProperty("$relationshipName").GetString()!,
            root.GetProperty("$etag").GetString()!,
            properties);
    }

    internal int Size
    {
        get
        {
            var size = 0;
            foreach (var (name, p) in PropertyStates)
            {
                size += name.Length + p.Size + 4;
            }

            return size;
        }
    }
}
