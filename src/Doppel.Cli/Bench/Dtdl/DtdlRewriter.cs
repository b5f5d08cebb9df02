using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Doppel.Cli.Bench.Fuzz.FuzzRandom;

namespace Doppel.Cli.Bench.Dtdl;

/// <summary>
/// Rewrites a valid DTDL document set into another way of writing the same model, as DTDL and JSON-LD allow: a value
/// as a one-element array, inside nested arrays, or as a value object; a one-element list as its element; terms as their
/// identifiers; a localizable string in its other forms; an inner @context repeating the one in force; members and
/// documents reordered, split and joined; comments, descriptions and @ids added. Most rewrites keep the model valid, so
/// inputs made this way measure whether a parser accepts the valid forms, which random damage rarely produces.
/// </summary>
internal static partial class DtdlRewriter
{
    /// <summary>Members whose values are literals (a value object may stand for them).</summary>
    private static readonly HashSet<string> LiteralMembers = new(StringComparer.Ordinal)
    {
        "name", "comment", "writable", "enumValue", "minMultiplicity", "maxMultiplicity", "nullable", "annotates", "overrides", "ttl",
        "index", "payloadFormat", "telemetryTopic", "commandTopic", "propertyTopic",
    };

    private static readonly HashSet<string> LocalizableMembers = new(StringComparer.Ordinal) { "displayName", "description" };

    /// <summary>Members that take a list of elements or references, where one element may stand alone.</summary>
    private static readonly string[] ListMembers = ["contents", "schemas", "fields", "enumValues", "extends", "properties"];

    private static readonly HashSet<string> CoreClasses = new(StringComparer.Ordinal)
    {
        "Interface", "Telemetry", "Property", "Command", "Relationship", "Component", "Array", "Enum", "EnumValue", "Map", "MapKey",
        "MapValue", "Object", "Field", "CommandPayload", "CommandRequest", "CommandResponse",
    };

    private static readonly HashSet<string> CoreProperties = new(StringComparer.Ordinal)
    {
        "comment", "contents", "description", "displayName", "elementSchema", "enumValue", "enumValues", "extends", "fields", "mapKey",
        "mapValue", "maxMultiplicity", "minMultiplicity", "name", "properties", "request", "response", "schema", "schemas", "target",
        "valueSchema", "writable",
    };

    private static readonly HashSet<string> PrimitiveSchemas = new(StringComparer.Ordinal)
    {
        "boolean", "date", "dateTime", "double", "duration", "float", "integer", "long", "string", "time",
    };

    private static readonly string[] Languages = ["en", "en-US", "it", "de-DE", "fr", "ja"];

    /// <summary>Applies <paramref name="count"/> rewrites to the set (parsed documents; null entries are texts that stay as they are).</summary>
    public static void Rewrite(List<JsonNode?> documents, int count, Random rng)
    {
        for (var r = 0; r < count; r++)
        {
            if (rng.Next(12) == 0)
            {
                Regroup(documents, rng);
                continue;
            }

            var d = rng.Next(documents.Count);
            if (documents[d] is not { } root)
            {
                continue;
            }

            var version = VersionOf(root);
            var objects = new List<(JsonObject Node, bool Element)>();
            Collect(root, objects, element: true, depth: 0);
            if (objects.Count == 0)
            {
                continue;
            }

            var (target, element) = objects[rng.Next(objects.Count)];
            switch (rng.Next(10))
            {
                case 0:
                    WrapInArray(target, rng);
                    break;
                case 1:
                    ValueObject(target, rng);
                    break;
                case 2:
                    UnwrapList(target, rng);
                    break;
                case 3 when version is { } v:
                    ToIdentifiers(target, v, rng);
                    break;
                case 4:
                    Localizable(target, rng);
                    break;
                case 5 when element && target != root && RootContext(root) is { } context:
                    target["@context"] = context.DeepClone();
                    break;
                case 6:
                    Shuffle(target, rng);
                    break;
                case 7 when element:
                    target[Pick(rng, ["comment", "description", "displayName"])] = Pick(rng, ["a note", "Température", "第一", "x"]);
                    break;
                case 8 when element && !target.ContainsKey("@id") && target.ContainsKey("@type") && version is { } v:
                    target["@id"] = $"dtmi:fuzz:element{rng.Next(1_000_000).ToString(CultureInfo.InvariantCulture)};{v.ToString(CultureInfo.InvariantCulture)}";
                    break;
                default:
                    NestArray(target, rng);
                    break;
            }
        }
    }

    /// <summary>A member's value as a one-element array ("… or an array containing exactly one …").</summary>
    private static void WrapInArray(JsonObject target, Random rng)
    {
        var names = target.Where(p => !p.Key.StartsWith('@') && p.Value is not null and not JsonArray).Select(p => p.Key).ToList();
        if (names.Count > 0)
        {
            var name = Pick(rng, names);
            var value = target[name]!;
            target.Remove(name);
            target[name] = new JsonArray(value);
        }
    }

    /// <summary>A member's array inside another array (JSON-LD expansion flattens it): [a, b] as [[a], b] or [[a, b]].</summary>
    private static void NestArray(JsonObject target, Random rng)
    {
        var names = target.Where(p => !p.Key.StartsWith('@') && p.Value is JsonArray { Count: > 0 }).Select(p => p.Key).ToList();
        if (names.Count == 0)
        {
            WrapInArray(target, rng);
            return;
        }

        var name = Pick(rng, names);
        var items = ((JsonArray)target[name]!).Select(i => i?.DeepClone()).ToList();
        var at = rng.Next(items.Count);
        target[name] = rng.Next(2) == 0
            ? new JsonArray(new JsonArray([.. items]))
            : new JsonArray([.. items.Take(at), new JsonArray(items[at]), .. items.Skip(at + 1)]);
    }

    /// <summary>A literal as a value object, untyped or typed with the XML Schema type of its JSON kind.</summary>
    private static void ValueObject(JsonObject target, Random rng)
    {
        var names = target.Where(p => LiteralMembers.Contains(p.Key) && p.Value is JsonValue).Select(p => p.Key).ToList();
        if (names.Count == 0)
        {
            return;
        }

        var name = Pick(rng, names);
        var value = (JsonValue)target[name]!;
        var type = value.GetValueKind() switch
        {
            JsonValueKind.String => "xsd:string",
            JsonValueKind.True or JsonValueKind.False => "xsd:boolean",
            _ => "xsd:integer",
        };
        var wrapped = new JsonObject { ["@value"] = value.DeepClone() };
        if (rng.Next(2) == 0)
        {
            wrapped["@type"] = rng.Next(4) == 0 ? type.Replace("xsd:", "http://www.w3.org/2001/XMLSchema#", StringComparison.Ordinal) : type;
        }

        target[name] = wrapped;
    }

    private static void UnwrapList(JsonObject target, Random rng)
    {
        var names = ListMembers.Where(m => target[m] is JsonArray { Count: 1 }).ToList();
        if (names.Count > 0)
        {
            var name = Pick(rng, names);
            var only = ((JsonArray)target[name]!)[0]?.DeepClone();
            target[name] = only;
        }
    }

    /// <summary>Core terms as the identifiers the DTDL context of <paramref name="version"/> gives them: in @type, member names and primitive schemas.</summary>
    private static void ToIdentifiers(JsonObject target, int version, Random rng)
    {
        var v = version.ToString(CultureInfo.InvariantCulture);
        switch (rng.Next(3))
        {
            case 0 when target["@type"] is JsonValue t && t.TryGetValue<string>(out var type) && CoreClasses.Contains(type):
                target["@type"] = $"dtmi:dtdl:class:{type};{v}";
                break;
            case 0 when target["@type"] is JsonArray types:
                for (var i = 0; i < types.Count; i++)
                {
                    if (types[i] is JsonValue item && item.TryGetValue<string>(out var co) && CoreClasses.Contains(co))
                    {
                        types[i] = $"dtmi:dtdl:class:{co};{v}";
                    }
                }

                break;
            case 1:
                var names = target.Select(p => p.Key).Where(CoreProperties.Contains).ToList();
                if (names.Count > 0)
                {
                    var name = Pick(rng, names);
                    var value = target[name]?.DeepClone();
                    target.Remove(name);
                    target[$"dtmi:dtdl:property:{name};{v}"] = value;
                }

                break;
            default:
                foreach (var name in new[] { "schema", "elementSchema", "valueSchema" })
                {
                    if (target[name] is JsonValue s && s.TryGetValue<string>(out var schema) && PrimitiveSchemas.Contains(schema))
                    {
                        target[name] = $"dtmi:dtdl:instance:Schema:{schema};{v}";
                        return;
                    }
                }

                break;
        }
    }

    /// <summary>A localizable string in another of its forms: a language map, an array of strings, language-tagged values.</summary>
    private static void Localizable(JsonObject target, Random rng)
    {
        var names = target.Where(p => LocalizableMembers.Contains(p.Key) && p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String).Select(p => p.Key).ToList();
        if (names.Count == 0)
        {
            return;
        }

        var name = Pick(rng, names);
        var text = target[name]!.GetValue<string>();
        target[name] = rng.Next(4) switch
        {
            0 => new JsonObject { [Pick(rng, Languages)] = text },
            1 => new JsonArray(text),
            2 => new JsonArray(new JsonObject { ["@language"] = Pick(rng, Languages), ["@value"] = text }),
            _ => new JsonObject { ["en"] = text, ["it"] = text + " (it)" },
        };
    }

    private static void Shuffle(JsonObject target, Random rng)
    {
        var members = target.Select(p => (p.Key, Value: p.Value?.DeepClone())).ToList();
        target.Clear();
        foreach (var (key, value) in members.OrderBy(_ => rng.Next()))
        {
            target[key] = value;
        }
    }

    /// <summary>Documents joined into one array, an array document split into one document per element, or the order changed.</summary>
    private static void Regroup(List<JsonNode?> documents, Random rng)
    {
        var parsed = documents.Where(d => d is not null).ToList();
        if (parsed.Count == 0)
        {
            return;
        }

        var elements = parsed.SelectMany(d => d is JsonArray a ? a.Select(e => e?.DeepClone()) : [d!.DeepClone()]).ToList();
        var raw = documents.Where(d => d is null).ToList();
        documents.Clear();
        switch (rng.Next(3))
        {
            case 0:
                documents.Add(new JsonArray([.. elements]));
                break;
            case 1:
                documents.AddRange(elements);
                break;
            default:
                documents.AddRange(elements.OrderBy(_ => rng.Next()));
                break;
        }

        documents.AddRange(raw);
    }

    /// <summary>Every object below the root: DTDL elements (and the root's Interfaces), and value-like objects that are not.</summary>
    private static void Collect(JsonNode? node, List<(JsonObject, bool)> objects, bool element, int depth)
    {
        if (depth > 40)
        {
            return;
        }

        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                Collect(item, objects, element, depth + 1);
            }
        }
        else if (node is JsonObject obj)
        {
            var isElement = element && !obj.ContainsKey("@value") && !obj.ContainsKey("@language");
            objects.Add((obj, isElement));
            foreach (var (key, value) in obj)
            {
                if (!key.StartsWith('@') && !LocalizableMembers.Contains(key))
                {
                    Collect(value, objects, isElement, depth + 1);
                }
            }
        }
    }

    /// <summary>The DTDL version of a document's first element, from its @context.</summary>
    private static int? VersionOf(JsonNode root) =>
        RootContext(root)?.ToJsonString() is { } text && CoreContext().Match(text) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    private static JsonNode? RootContext(JsonNode root) => root switch
    {
        JsonObject o => o["@context"],
        JsonArray { Count: > 0 } a when a[0] is JsonObject first => first["@context"],
        _ => null,
    };

    [GeneratedRegex(@"dtmi:dtdl:context;([234])""")]
    private static partial Regex CoreContext();
}
