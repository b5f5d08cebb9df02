using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Twins;
using Doppel.Twins.Internal;

namespace Doppel.Query.Internal;

/// <summary>
/// A document bound in a row: a stored twin or relationship read in place (system fields and property values come
/// straight from the immutable document), or a JSON object from a plain <see cref="IQuerySource"/>. JSON is built only
/// when a query needs the whole document.
/// </summary>
internal sealed class Doc
{
    private JsonObject? _json;

    private Doc(TwinDocument? twin, RelationshipDocument? relationship, JsonObject? json) =>
        (Twin, Relationship, _json) = (twin, relationship, json);

    public TwinDocument? Twin { get; }

    public RelationshipDocument? Relationship { get; }

    public static Doc Of(TwinDocument twin) => new(twin, null, null);

    public static Doc Of(RelationshipDocument relationship) => new(null, relationship, null);

    public static Doc Of(JsonObject json) => new(null, null, json);

    /// <summary>The document as JSON, built once per row binding; shared, so it is never handed out as a result row.</summary>
    public JsonObject Json => _json ??= Twin?.ToJson() ?? Relationship!.ToJson();

    public string DtId => Twin?.Id ?? Text("$dtId");

    public string? Model => Twin is { } t ? t.Model.Value : _json?["$metadata"] is JsonObject m && m["$model"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public string RelationshipName => Relationship?.Name ?? Text("$relationshipName");

    public string SourceId => Relationship?.SourceId ?? Text("$sourceId");

    public string TargetId => Relationship?.TargetId ?? Text("$targetId");

    public string RelationshipId => Relationship?.Id ?? Text("$relationshipId");

    /// <summary>The whole document as a result row: stored twins as a node over their cached UTF-8 JSON, parsed lazily and written back as is.</summary>
    public JsonNode ToRow(bool shareJson, ParsedTwins parsed)
    {
        if (Twin is { } t)
        {
            return JsonObject.Create(parsed.Root(t))!;
        }
        if (Relationship is { } r)
        {
            return r.ToJson();
        }
        return shareJson ? _json! : _json!.DeepClone();
    }

    /// <summary>The value at <paramref name="segments"/> from <paramref name="from"/> on; undefined when missing.</summary>
    public QueryValue Read(IReadOnlyList<string> segments, int from)
    {
        if (from == segments.Count)
        {
            return new QueryValue(ValueKind.Object, Node: Json);
        }
        return Locate(segments, from, out var text, out var element, out var node) switch
        {
            Found.Text => new QueryValue(ValueKind.String, String: text),
            Found.Element => QueryValue.Of(element),
            Found.Node => QueryValue.Of(node),
            _ => QueryValue.Undefined,
        };
    }

    /// <summary>A fresh node for a projected value, or false when it is undefined.</summary>
    public bool TryProject(IReadOnlyList<string> segments, int from, ParsedTwins parsed, out JsonNode? value)
    {
        if (from == segments.Count)
        {
            value = ToRow(false, parsed);
            return true;
        }
        switch (Locate(segments, from, out var text, out var element, out var node))
        {
            case Found.Text:
                value = JsonValue.Create(text);
                return true;
            case Found.Element:
                value = JsonText.ToNode(element);
                return true;
            case Found.Node:
                value = node?.DeepClone();
                return true;
            default:
                value = null;
                return false;
        }
    }

    private enum Found
    {
        None,
        Text,
        Element,
        Node,
    }

    private Found Locate(IReadOnlyList<string> segments, int from, out string? text, out JsonElement element, out JsonNode? node)
    {
        (text, element, node) = (null, default, null);
        var name = segments[from];
        var last = from + 1 == segments.Count;
        if (Twin is { } twin)
        {
            if (name == "$dtId")
            {
                text = twin.Id;
                return last ? Found.Text : Found.None;
            }
            if (name == "$metadata" && from + 2 == segments.Count && segments[from + 1] == "$model")
            {
                text = twin.Model.Value;
                return Found.Text;
            }
            if (!name.StartsWith('$') && !twin.ComponentStates.ContainsKey(name))
            {
                return twin.TryGetProperty(name, out element) && Descend(ref element, segments, from + 1) ? Found.Element : Found.None;
            }
        }
        else if (Relationship is { } r)
        {
            text = name switch
            {
                "$relationshipId" => r.Id,
                "$sourceId" => r.SourceId,
                "$targetId" => r.TargetId,
                "$relationshipName" => r.Name,
                "$etag" => r.ETag,
                _ => null,
            };
            if (text is not null)
            {
                return last ? Found.Text : Found.None;
            }
            return r.TryGetProperty(name, out element) && Descend(ref element, segments, from + 1) ? Found.Element : Found.None;
        }
        JsonNode? current = Json;
        for (var i = from; i < segments.Count; i++)
        {
            if (current is not JsonObject obj || !obj.TryGetPropertyValue(segments[i], out current))
            {
                return Found.None;
            }
        }
        node = current;
        return Found.Node;
    }

    private static bool Descend(ref JsonElement element, IReadOnlyList<string> segments, int from)
    {
        for (var i = from; i < segments.Count; i++)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segments[i], out element))
            {
                return false;
            }
        }
        return true;
    }

    private string Text(string name) => Json[name]!.GetValue<string>();
}

/// <summary>
/// Twins parsed from their cached UTF-8 JSON once per query: a twin bound in many rows (the floor of every room of a
/// MATCH) is parsed once, and each row gets its own lazily materialized node over the shared element.
/// </summary>
internal sealed class ParsedTwins
{
    private readonly Dictionary<TwinDocument, JsonElement> _roots = new(ReferenceEqualityComparer.Instance);

    public JsonElement Root(TwinDocument twin)
    {
        if (!_roots.TryGetValue(twin, out var root))
        {
            root = JsonDocument.Parse(twin.Utf8Json).RootElement;
            _roots[twin] = root;
        }
        return root;
    }
}
