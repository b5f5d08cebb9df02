using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Cli.Bench.Fuzz;
using static Doppel.Cli.Bench.Fuzz.FuzzRandom;

namespace Doppel.Cli.Bench.Dtdl;

/// <summary>
/// Makes fuzz inputs for the DTDL parser from valid and near-valid document sets, deterministically: input
/// <c>i</c> of seed <c>s</c> is always the same. Mutations follow what DTDL and JSON-LD allow and forbid (value
/// objects, one-element arrays, single objects for lists, contexts, full IRIs, references that close cycles, deep
/// nesting), so inputs get past JSON parsing and into the reader and the linker; a share also gets byte-level damage.
/// </summary>
internal sealed class DtdlMutator(IReadOnlyList<FuzzSeed> seeds)
{
    /// <summary>Marks a placeholder string that <see cref="Expand"/> replaces by raw JSON too deep or large to build as nodes.</summary>
    private const string Placeholder = "\u0001fuzz:";

    /// <summary>Deep trees must serialize (the parser, not the generator, decides what is too deep); unicode stays unescaped.</summary>
    private static readonly JsonSerializerOptions Compact = new() { MaxDepth = 2048, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] Terms =
    [
        "Interface", "Telemetry", "Property", "Command", "CommandPayload", "CommandRequest", "CommandResponse", "Relationship",
        "Component", "Array", "Enum", "EnumValue", "Map", "MapKey", "MapValue", "Object", "Field", "Historized", "ValueAnnotation",
        "Override", "Mqtt", "Indexed", "Cacheable", "Idempotent", "Required", "Temperature", "Acceleration", "State", "Location",
        "dtmi:dtdl:class:Array;2", "dtmi:dtdl:class:Interface;3", "dtmi:dtdl:class:Telemetry;4", "dtmi:dtdl:class:Object;3",
        "dtmi:standard:class:Acceleration;2", "dtmi:dtdl:extension:quantitativeTypes:v1:class:Temperature", "Flavor", "ex:Flavor",
    ];

    private static readonly string[] Keys =
    [
        "@context", "@id", "@type", "@value", "@language", "@graph", "@index", "@foo", "name", "schema", "contents", "extends", "schemas",
        "elementSchema", "valueSchema", "enumValues", "enumValue", "mapKey", "mapValue", "fields", "request", "response", "commandType",
        "target", "properties", "minMultiplicity", "maxMultiplicity", "writable", "unit", "annotates", "overrides", "nullable", "index",
        "ttl", "payloadFormat", "telemetryTopic", "comment", "description", "displayName", "dtmi:dtdl:property:schema;3",
        "dtmi:dtdl:property:contents;2", "dtmi:dtdl:property:name;4", "dtmi:example:member;1", "ex:member", "",
    ];

    private static readonly string[] Strings =
    [
        "", "double", "string", "integer", "boolean", "point", "scaledDecimal", "byte", "uuid", "geopoint", "vector", "dateTime",
        "dtmi:dtdl:instance:Schema:double;3", "dtmi:standard:schema:geospatial:point;3", "dtmi:standard:unit:gigawatt;2",
        "dtmi:dtdl:context;2", "dtmi:dtdl:context;3", "dtmi:dtdl:context;4", "dtmi:dtdl:context;4#limitless", "dtmi:dtdl:limits:onvif;1",
        "dtmi:dtdl:extension:historization;1", "dtmi:dtdl:extension:quantitativeTypes;1", "dtmi:iotcentral:context;2",
        "dtmi:example:Thing;1", "dtmi:example:Thing", "dtmi:example:Thing;1.2", "dtmi:example:_x;1", "dtmi:example:;1", "dtmi:;1",
        "dtmi:dtdl:example:Thing;1", "dtmi:example:Thing;0", "dtmi:example:Thing;1#frag", "synchronous", "asynchronous",
        "degreeCelsius", "metre", "en", "en-US", "English", "xsd:string", "xsd:integer", "http://www.w3.org/2001/XMLSchema#boolean",
        "PT15S", "a/{b}/c", "$SYS/x", "1abc", "a_", "Ünïcødé", "\u0000", "\uD83D\uDE00", "\u202E", "null", "{}", "[]", "\\", "\"",
    ];

    private readonly IReadOnlyList<FuzzSeed> _seeds = seeds;

    /// <summary>Valid seeds that are JSON throughout: the starting points of rewrites (<see cref="DtdlRewriter"/>).</summary>
    private readonly IReadOnlyList<FuzzSeed> _valid = seeds.Where(s => s.Valid && s.Documents.All(d => d is not null)).ToList();

    /// <summary>The document set of input <paramref name="index"/> under <paramref name="seed"/>.</summary>
    public IReadOnlyList<string> Make(ulong seed, long index)
    {
        var rng = FuzzRandom.For(seed, index);
        if (_valid.Count > 0 && rng.Next(5) < 2)
        {
            return Rewritten(rng);
        }

        var source = _seeds[rng.Next(_seeds.Count)];
        var documents = source.Documents.Select(d => d?.DeepClone()).ToList();
        var parsed = source.Documents.Select(d => d is not null).ToList();
        var raw = source.Texts.ToList();

        if (rng.Next(8) == 0)
        {
            // Cross-over: a second seed's documents join the set, so references and duplicates span seeds.
            var other = _seeds[rng.Next(_seeds.Count)];
            documents.AddRange(other.Documents.Select(d => d?.DeepClone()));
            parsed.AddRange(other.Documents.Select(d => d is not null));
            raw.AddRange(other.Texts);
        }

        var mutations = 1 + Geometric(rng, 0.45, 12);
        for (var m = 0; m < mutations; m++)
        {
            var d = rng.Next(documents.Count);
            if (documents[d] is { } doc)
            {
                documents[d] = Mutate(doc, documents, rng);
            }
        }

        var texts = new List<string>(documents.Count);
        for (var d = 0; d < documents.Count; d++)
        {
            texts.Add(documents[d] is { } node ? Expand(node.ToJsonString(Compact), rng) : parsed[d] ? "null" : raw[d]);
        }

        if (rng.Next(6) == 0)
        {
            var d = rng.Next(texts.Count);
            texts[d] = FuzzRandom.Damage(texts[d], rng);
        }

        if (rng.Next(40) == 0 && texts.Count > 0)
        {
            texts.RemoveAt(rng.Next(texts.Count));
        }

        return texts;
    }

    /// <summary>A valid seed written another way (mostly still valid), now and then with one ordinary mutation on top.</summary>
    private List<string> Rewritten(Random rng)
    {
        var source = _valid[rng.Next(_valid.Count)];
        var documents = source.Documents.Select(d => d!.DeepClone()).ToList<JsonNode?>();
        DtdlRewriter.Rewrite(documents, 1 + Geometric(rng, 0.5, 6), rng);
        if (rng.Next(4) == 0 && documents.Count > 0)
        {
            var d = rng.Next(documents.Count);
            documents[d] = Mutate(documents[d]!, documents, rng);
        }

        return documents.Select(d => d is null ? "null" : Expand(d.ToJsonString(Compact), rng)).ToList();
    }

    private static JsonNode? Mutate(JsonNode root, List<JsonNode?> set, Random rng)
    {
        var slots = JsonSlot.All(root);
        var target = slots[rng.Next(slots.Count)];
        switch (rng.Next(20))
        {
            case < 4:
                return Replace(root, target, RandomValue(rng, 0));
            case 4:
                return Replace(root, target, new JsonArray(Detach(target.Node)));
            case 5:
                return Replace(root, target, new JsonObject { ["@value"] = Detach(target.Node) });
            case 6:
                return Replace(root, target, new JsonObject { ["@value"] = Detach(target.Node), ["@type"] = Pick(rng, ["xsd:string", "xsd:integer", "xsd:boolean", "xsd:double"]) });
            case 7:
                return Replace(root, target, new JsonObject { ["@language"] = Pick(rng, ["en", "it", "English", "en-US"]), ["@value"] = Detach(target.Node) });
            case 8:
                return Replace(root, target, Unwrap(target.Node, rng));
            case 9 or 10:
                return Replace(root, target, Reference(set, rng));
            case 11:
                // Mostly cheap: deep nesting and long numbers; rarely (they cost milliseconds each) wide arrays and long strings.
                var kind = rng.Next(10) switch { < 5 => "deep", < 8 => "number", 8 => "wide", _ => "long" };
                return Replace(root, target, JsonValue.Create(Placeholder + kind + ":" + rng.Next(1, 400).ToString(CultureInfo.InvariantCulture)));
            case 12:
                return Replace(root, target, NestedSchema(rng));
            default:
                // Structural edits around the slot: members and list items.
                if (target.Node is JsonObject obj)
                {
                    EditObject(obj, set, rng);
                    return root;
                }

                if (target.Node is JsonArray array)
                {
                    EditArray(array, rng);
                    return root;
                }

                return Replace(root, target, RandomValue(rng, 0));
        }
    }

    private static void EditObject(JsonObject obj, List<JsonNode?> set, Random rng)
    {
        var names = obj.Select(p => p.Key).ToList();
        switch (rng.Next(7))
        {
            case 0 when names.Count > 0:
                obj.Remove(names[rng.Next(names.Count)]);
                break;
            case 1 when names.Count > 0:
                {
                    // Rename a member, keeping its value: to another term, its DTMI form, a keyword or junk.
                    var name = names[rng.Next(names.Count)];
                    var value = obj[name];
                    obj.Remove(name);
                    obj[Pick(rng, Keys) + (rng.Next(10) == 0 ? "x" : "")] = value;
                    break;
                }

            case 2:
                obj["@context"] = Pick(rng, Contexts(rng));
                break;
            case 3:
                obj["@type"] = rng.Next(3) == 0
                    ? new JsonArray(JsonValue.Create(Pick(rng, Terms)), JsonValue.Create(Pick(rng, Terms)))
                    : JsonValue.Create(Pick(rng, Terms));
                break;
            case 4:
                obj["@id"] = Ids(set, rng);
                break;
            case 5:
                obj[Pick(rng, Keys)] = rng.Next(2) == 0 ? Reference(set, rng) : RandomValue(rng, 0);
                break;
            default:
                {
                    // A list member given as a single object, or the reverse.
                    foreach (var name in new[] { "contents", "schemas", "fields", "enumValues", "extends", "properties" })
                    {
                        if (obj[name] is JsonArray { Count: > 0 } list)
                        {
                            var first = list[0];
                            list.RemoveAt(0);
                            obj[name] = first;
                            return;
                        }

                        if (obj[name] is JsonObject single)
                        {
                            obj.Remove(name);
                            obj[name] = new JsonArray(single, single.DeepClone());
                            return;
                        }
                    }

                    break;
                }
        }
    }

    private static void EditArray(JsonArray array, Random rng)
    {
        switch (rng.Next(4))
        {
            case 0 when array.Count > 0:
                array.RemoveAt(rng.Next(array.Count));
                break;
            case 1 when array.Count > 0:
                array.Add(array[rng.Next(array.Count)]?.DeepClone());
                break;
            case 2:
                array.Insert(rng.Next(array.Count + 1), RandomValue(rng, 0));
                break;
            default:
                array.Clear();
                break;
        }
    }

    /// <summary>An @id somewhere in the set, so that members refer to existing elements: self-references, cycles, cross-partition uses.</summary>
    private static JsonNode Reference(List<JsonNode?> set, Random rng)
    {
        var ids = new List<string>();
        foreach (var d in set)
        {
            CollectIds(d, ids, 0);
        }

        return ids.Count > 0 && rng.Next(5) != 0 ? JsonValue.Create(ids[rng.Next(ids.Count)]) : JsonValue.Create(Pick(rng, Strings));
    }

    private static JsonNode Ids(List<JsonNode?> set, Random rng) => rng.Next(4) switch
    {
        0 => Reference(set, rng),
        1 => JsonValue.Create("dtmi:example:" + new string('a', rng.Next(1, 2100)) + ";1"),
        2 => new JsonArray(JsonValue.Create("dtmi:example:Thing;1")),
        _ => JsonValue.Create(Pick(rng, Strings)),
    };

    private static JsonNode[] Contexts(Random rng) =>
    [
        JsonValue.Create("dtmi:dtdl:context;" + rng.Next(1, 6).ToString(CultureInfo.InvariantCulture)),
        new JsonArray(),
        new JsonArray(JsonValue.Create("dtmi:dtdl:context;3"), JsonValue.Create("dtmi:dtdl:extension:historization;1")),
        new JsonArray(JsonValue.Create("dtmi:dtdl:extension:annotation;2"), JsonValue.Create("dtmi:dtdl:context;4")),
        new JsonArray(JsonValue.Create("dtmi:dtdl:context;4#limitless"), JsonValue.Create("dtmi:dtdl:limits:onvif;1")),
        new JsonArray(JsonValue.Create("dtmi:dtdl:context;2"), JsonValue.Create("dtmi:iotcentral:context;2")),
        new JsonArray(JsonValue.Create("dtmi:dtdl:context;3"), JsonValue.Create("dtmi:example:unknown;1.2")),
        JsonValue.Create(5),
        new JsonObject { ["@vocab"] = "dtmi:dtdl:context;3" },
        new JsonArray(JsonValue.Create("dtmi:dtdl:context;3"), null),
    ];

    /// <summary>Complex schemas nested to a random depth (around the limits of 5, 8 and 24), in a form JSON can hold.</summary>
    private static JsonNode NestedSchema(Random rng)
    {
        var depth = rng.Next(1, 30);
        JsonNode node = JsonValue.Create("double");
        for (var i = 0; i < depth; i++)
        {
            node = (rng.Next(3)) switch
            {
                0 => new JsonObject { ["@type"] = "Array", ["elementSchema"] = node },
                1 => new JsonObject { ["@type"] = "Map", ["mapKey"] = new JsonObject { ["name"] = "k", ["schema"] = "string" }, ["mapValue"] = new JsonObject { ["name"] = "v", ["schema"] = node } },
                _ => new JsonObject { ["@type"] = "Object", ["fields"] = new JsonArray(new JsonObject { ["name"] = "f", ["schema"] = node }) },
            };
        }

        return node;
    }

    private static JsonNode? RandomValue(Random rng, int depth) => rng.Next(depth > 2 ? 8 : 12) switch
    {
        0 => JsonValue.Create(Pick(rng, Strings)),
        1 => JsonValue.Create(Pick(rng, Terms)),
        2 => JsonValue.Create(Pick(rng, [0L, 1L, -1L, 2147483647L, 2147483648L, -2147483649L, long.MaxValue, long.MinValue])),
        3 => JsonValue.Create(Pick(rng, [0.5, -0.0, 1e308, -1e-308, 3.0])),
        4 => JsonValue.Create(rng.Next(2) == 0),
        5 => null,
        6 => JsonValue.Create(Pick(rng, Terms) + Pick(rng, Strings)),
        7 => JsonValue.Create(new string((char)rng.Next(0x20, 0x2FFF), rng.Next(0, 600))),
        8 => new JsonObject(),
        9 => new JsonArray(),
        10 => new JsonArray(RandomValue(rng, depth + 1), RandomValue(rng, depth + 1)),
        _ => new JsonObject { [Pick(rng, Keys)] = RandomValue(rng, depth + 1), [Pick(rng, Keys) + "2"] = RandomValue(rng, depth + 1) },
    };

    private static JsonNode? Unwrap(JsonNode? node, Random rng) => node switch
    {
        JsonArray { Count: > 0 } a => Detach(a[rng.Next(a.Count)]),
        JsonObject o when o.Count > 0 => Detach(o.ElementAt(rng.Next(o.Count)).Value),
        _ => RandomValue(rng, 0),
    };

    private static JsonNode? Detach(JsonNode? node) => node?.DeepClone();

    private static JsonNode? Replace(JsonNode root, JsonSlot slot, JsonNode? value)
    {
        switch (slot.Parent)
        {
            case null:
                return value ?? new JsonObject();
            case JsonObject o:
                o[slot.Key!] = value;
                break;
            case JsonArray a:
                a[slot.Index] = value;
                break;
        }

        return root;
    }

    private static void CollectIds(JsonNode? node, List<string> ids, int depth)
    {
        if (depth > 40)
        {
            return;
        }

        if (node is JsonObject o)
        {
            foreach (var p in o)
            {
                if (p.Key == "@id" && p.Value is JsonValue v && v.TryGetValue<string>(out var id))
                {
                    ids.Add(id);
                }

                CollectIds(p.Value, ids, depth + 1);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var item in a)
            {
                CollectIds(item, ids, depth + 1);
            }
        }
    }

    /// <summary>Replaces placeholders by raw JSON: nesting beyond any depth limit, very wide arrays, long strings, long numbers.</summary>
    private static string Expand(string json, Random rng)
    {
        var marker = JsonSerializer.Serialize(Placeholder, Compact)[..^1];
        var at = json.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return json;
        }

        var builder = new StringBuilder(json.Length + 1024);
        var from = 0;
        while (at >= 0)
        {
            var end = json.IndexOf('"', at + marker.Length);
            var spec = json[(at + marker.Length)..end].Split(':');
            var n = int.Parse(spec[1], CultureInfo.InvariantCulture);
            builder.Append(json, from, at - from);
            switch (spec[0])
            {
                case "deep":
                    {
                        // Arrays or DTDL Arrays nested n (up to 400) deep: past JSON's and DTDL's depth limits.
                        var dtdl = rng.Next(2) == 0;
                        for (var i = 0; i < n; i++)
                        {
                            builder.Append(dtdl ? "{\"@type\":\"Array\",\"elementSchema\":" : "[");
                        }

                        builder.Append("\"double\"");
                        for (var i = 0; i < n; i++)
                        {
                            builder.Append(dtdl ? '}' : ']');
                        }

                        break;
                    }

                case "wide":
                    // Up to 2,000 elements: past the v2 limits of 300 contents and 100 enumValues.
                    builder.Append('[');
                    for (var i = 0; i < n * 5; i++)
                    {
                        builder.Append(i == 0 ? "" : ",").Append("{\"@type\":\"Telemetry\",\"name\":\"t").Append(i).Append("\",\"schema\":\"double\"}");
                    }

                    builder.Append(']');
                    break;
                case "number":
                    builder.Append('-').Append('9', n).Append(rng.Next(2) == 0 ? ".5e+99999" : "");
                    break;
                default:
                    builder.Append('"').Append('x', n * 10).Append('"');
                    break;
            }

            from = end + 1;
            at = json.IndexOf(marker, from, StringComparison.Ordinal);
        }

        builder.Append(json, from, json.Length - from);
        return builder.ToString();
    }
}
