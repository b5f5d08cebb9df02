using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Modeling;
using Doppel.Twins.Internal;

namespace Doppel.Twins;

/// <summary>An immutable digital twin: identity, etag, model, property values with their metadata, and components.</summary>
/// <remarks>Property values are immutable <see cref="JsonElement"/>s shared between versions, so a patch copies only what it touches.</remarks>
public sealed class TwinDocument
{
    // The serialized form, made at most once per version: a write stores it and every later GET sends it as is.
    private byte[]? _utf8Json;

    internal TwinDocument(string id, string etag, Dtmi model, DateTimeOffset lastUpdateTime,
        Dictionary<string, PropertyState> properties, Dictionary<string, ComponentState> components)
    {
        Id = id;
        ETag = etag;
        Model = model;
        LastUpdateTime = lastUpdateTime;
        PropertyStates = properties;
        ComponentStates = components;
    }

    public string Id { get; }

    /// <summary>A weak etag, <c>W/"guid"</c>.</summary>
    public string ETag { get; }

    public Dtmi Model { get; }

    public DateTimeOffset LastUpdateTime { get; }

    /// <summary>Names of the component instances on this twin.</summary>
    public IEnumerable<string> ComponentNames => ComponentStates.Keys;

    internal Dictionary<string, PropertyState> PropertyStates { get; }

    internal Dictionary<string, ComponentState> ComponentStates { get; }

    /// <summary>The value of a top-level property, when set.</summary>
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

    /// <summary>
    /// When a property's value was measured: its sourceTime, else when it was last written; null when it is not set.
    /// Reported properties compare against this so that a late message never moves state backwards.
    /// </summary>
    public DateTimeOffset? PropertyTime(string? component, string name)
    {
        var properties = component is null ? PropertyStates : ComponentStates.TryGetValue(component, out var c) ? c.Properties : null;
        return properties is not null && properties.TryGetValue(name, out var p) ? p.SourceTime ?? p.LastUpdateTime : null;
    }

    /// <summary>A fresh deep copy in ADT's twin shape.</summary>
    public JsonObject ToJson()
    {
        var root = new JsonObject
        {
            ["$dtId"] = Id,
            ["$etag"] = ETag,
        };
        foreach (var (name, p) in PropertyStates)
        {
            root[name] = JsonText.ToNode(p.Value);
        }

        foreach (var (name, c) in ComponentStates)
        {
            root[name] = ComponentToJson(c);
        }

        var metadata = new JsonObject
        {
            ["$model"] = Model.Value,
            ["$lastUpdateTime"] = JsonText.Timestamp(LastUpdateTime),
        };
        AddPropertyMetadata(metadata, PropertyStates);
        root["$metadata"] = metadata;
        return root;
    }

    /// <summary>The twin as compact JSON.</summary>
    public string ToJsonString() => Encoding.UTF8.GetString(Utf8Json.Span);

    /// <summary>The twin as compact UTF-8 JSON, serialized on first use and then shared (the document is immutable, so is this).</summary>
    /// <remarks>Racing first readers may both serialize; they produce equal bytes and either copy may win.</remarks>
    public ReadOnlyMemory<byte> Utf8Json => _utf8Json ??= Serialize();

    /// <summary>The twin as compact UTF-8 JSON: the shared copy if <see cref="Utf8Json"/> made one, else a fresh array that is not kept (a bulk import stores it and drops it).</summary>
    public byte[] ToUtf8Json() => _utf8Json ?? Serialize();

    private byte[] Serialize()
    {
        return JsonScratch.ToArray(this, static (document, writer) => document.WriteTo(writer));
    }

    /// <summary>Writes the twin in ADT's shape.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("$dtId"u8, Id);
        writer.WriteString("$etag"u8, ETag);
        foreach (var (name, p) in PropertyStates)
        {
            writer.WritePropertyName(name);
            p.Value.WriteTo(writer);
        }

        foreach (var (name, c) in ComponentStates)
        {
            writer.WritePropertyName(name);
            writer.WriteStartObject();
            foreach (var (pname, p) in c.Properties)
            {
                writer.WritePropertyName(pname);
                p.Value.WriteTo(writer);
            }

            writer.WritePropertyName("$metadata"u8);
            writer.WriteStartObject();
            JsonText.WriteTimestamp(writer, "$lastUpdateTime"u8, c.LastUpdateTime);
            WritePropertyMetadata(writer, c.Properties);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WritePropertyName("$metadata"u8);
        writer.WriteStartObject();
        writer.WriteString("$model"u8, Model.Value);
        JsonText.WriteTimestamp(writer, "$lastUpdateTime"u8, LastUpdateTime);
        WritePropertyMetadata(writer, PropertyStates);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Reads a twin written by <see cref="ToJsonString"/> (used when reloading from storage); throws on malformed input.</summary>
    public static TwinDocument FromStoredJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var metadata = root.GetProperty("$metadata");
        var properties = new Dictionary<string, PropertyState>(StringComparer.Ordinal);
        var components = new Dictionary<string, ComponentState>(StringComparer.Ordinal);
        foreach (var member in root.EnumerateObject())
        {
            if (member.Name.StartsWith('$'))
            {
                continue;
            }

            if (member.Value.ValueKind == JsonValueKind.Object && member.Value.TryGetProperty("$metadata", out var componentMetadata))
            {
                var componentProperties = new Dictionary<string, PropertyState>(StringComparer.Ordinal);
                foreach (var cm in member.Value.EnumerateObject())
                {
                    if (!cm.Name.StartsWith('$'))
                    {
                        componentProperties[cm.Name] = ReadProperty(cm.Name, cm.Value, componentMetadata);
                    }
                }

                components[member.Name] = new ComponentState(componentProperties.Count == 0 ? PatchScope.NoProperties : componentProperties, ReadTime(componentMetadata, "$lastUpdateTime"));
            }
            else
            {
                properties[member.Name] = ReadProperty(member.Name, member.Value, metadata);
            }
        }

        if (properties.Count == 0)
        {
            properties = PatchScope.NoProperties;
        }

        return new TwinDocument(
            root.GetProperty("$dtId").GetString()!,
            root.GetProperty("$etag").GetString()!,
            new Dtmi(metadata.GetProperty("$model").GetString()!),
            ReadTime(metadata, "$lastUpdateTime"),
            properties,
            components);
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

            foreach (var (name, c) in ComponentStates)
            {
                size += name.Length + c.Size + 4;
            }

            return size;
        }
    }

    internal static JsonObject ComponentToJson(ComponentState c)
    {
        var obj = new JsonObject();
        foreach (var (name, p) in c.Properties)
        {
            obj[name] = JsonText.ToNode(p.Value);
        }

        var metadata = new JsonObject { ["$lastUpdateTime"] = JsonText.Timestamp(c.LastUpdateTime) };
        AddPropertyMetadata(metadata, c.Properties);
        obj["$metadata"] = metadata;
        return obj;
    }

    private static void AddPropertyMetadata(JsonObject metadata, Dictionary<string, PropertyState> properties)
    {
        foreach (var (name, p) in properties)
        {
            var entry = new JsonObject { ["lastUpdateTime"] = JsonText.Timestamp(p.LastUpdateTime) };
            if (p.SourceTime is { } sourceTime)
            {
                entry["sourceTime"] = JsonText.Timestamp(sourceTime);
            }

            metadata[name] = entry;
        }
    }

    private static void WritePropertyMetadata(Utf8JsonWriter writer, Dictionary<string, PropertyState> properties)
    {
        foreach (var (name, p) in properties)
        {
            writer.WritePropertyName(name);
            writer.WriteStartObject();
            JsonText.WriteTimestamp(writer, "lastUpdateTime"u8, p.LastUpdateTime);
            if (p.SourceTime is { } sourceTime)
            {
                JsonText.WriteTimestamp(writer, "sourceTime"u8, sourceTime);
            }

            writer.WriteEndObject();
        }
    }

    private static PropertyState ReadProperty(string name, JsonElement value, JsonElement metadata)
    {
        DateTimeOffset lastUpdate = default;
        DateTimeOffset? sourceTime = null;
        if (metadata.TryGetProperty(name, out var entry))
        {
            lastUpdate = ReadTime(entry, "lastUpdateTime");
            if (entry.TryGetProperty("sourceTime", out var st) && st.GetString() is { } s && JsonText.TryParseDateTime(s, out var parsed))
            {
                sourceTime = parsed;
            }
        }

        var clone = value.Clone();
        return new PropertyState(clone, JsonText.SizeOf(clone), lastUpdate, sourceTime);
    }

    private static DateTimeOffset ReadTime(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var t) && t.GetString() is { } s && JsonText.TryParseDateTime(s, out var parsed) ? parsed : default;
}
