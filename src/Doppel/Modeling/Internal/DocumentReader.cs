using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Doppel.Modeling.Internal;

/// <summary>
/// Reads DTDL documents into <see cref="InterfaceDraft"/>s, checking everything that can be checked within one element:
/// syntax, types, co-types, properties, limits and schemas. Cross-interface rules are <see cref="ModelLinker"/>'s.
/// </summary>
internal sealed partial class DocumentReader(ModelParserOptions options, ErrorSink sink)
{
    private const int MaxDescription = 512;
    private const int MaxComment = 512;
    private const int MaxComplexDepth = 5;

    private readonly List<(JsonElement Element, string Document, string Path, DocContext Context)> _pending = [];
    private readonly Dictionary<string, (JsonElement Element, string Document, string Path, DocContext Context)> _schemaDefs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Schema?> _builtSchemas = new(StringComparer.Ordinal);
    private readonly HashSet<string> _building = new(StringComparer.Ordinal);
    private readonly Dictionary<Schema, int> _depths = new(ReferenceEqualityComparer.Instance);
    private string _doc = "";

    public List<InterfaceDraft> Read(IReadOnlyList<ModelDocument> documents)
    {
        // Pass 1 finds every interface (inline ones too) and every named schema, because a schema DTMI may be used
        // before, or in another document than, its definition.
        foreach (var document in documents)
        {
            _doc = document.Name;
            var json = document.Json.Length > 0 && document.Json[0] == '\uFEFF' ? document.Json[1..] : document.Json;
            JsonElement root;
            try
            {
                using var parsed = JsonDocument.Parse(json);
                root = parsed.RootElement.Clone();
            }
            catch (JsonException e)
            {
                sink.Error(_doc, "$", "json-syntax", $"document is not valid JSON: {e.Message}");
                continue;
            }

            if (root.ValueKind == JsonValueKind.Object)
            {
                Discover(root, "$", null);
            }
            else if (root.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in root.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        Discover(item, $"$[{i}]", null);
                    }
                    else
                    {
                        sink.Error(_doc, $"$[{i}]", "document-shape", $"expected an Interface object, found {Describe(item)}");
                    }

                    i++;
                }
            }
            else
            {
                sink.Error(_doc, "$", "document-shape", $"expected an Interface object or an array of them, found {Describe(root)}");
            }
        }

        var drafts = new List<InterfaceDraft>(_pending.Count);
        foreach (var (element, document, path, context) in _pending)
        {
            _doc = document;
            if (ReadInterface(element, path, context) is { } draft)
            {
                drafts.Add(draft);
            }
        }

        return drafts;
    }

    private void Discover(JsonElement e, string path, DocContext? inherited)
    {
        var context = e.TryGetProperty("@context", out var c) ? ReadContext(c, path + ".@context") : inherited;
        if (context is null)
        {
            sink.Error(_doc, path, "missing-context", "an Interface needs @context \"dtmi:dtdl:context;3\" or \"dtmi:dtdl:context;2\" (at least once in the document)");
            context = new DocContext { Version = 3 };
        }

        _pending.Add((e, _doc, path, context));
        if (Get(e, "schemas", context) is { ValueKind: JsonValueKind.Array } schemas)
        {
            var i = 0;
            foreach (var s in schemas.EnumerateArray())
            {
                if (s.ValueKind == JsonValueKind.Object && s.TryGetProperty("@id", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    _schemaDefs.TryAdd(id.GetString()!, (s, _doc, $"{path}.schemas[{i}]", context));
                }

                i++;
            }
        }

        if (Get(e, "extends", context) is { } ext)
        {
            if (ext.ValueKind == JsonValueKind.Object)
            {
                Discover(ext, path + ".extends", context);
            }
            else if (ext.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in ext.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        Discover(item, $"{path}.extends[{i}]", context);
                    }

                    i++;
                }
            }
        }

        if (Get(e, "contents", context) is { ValueKind: JsonValueKind.Array } contents)
        {
            var i = 0;
            foreach (var item in contents.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && Get(item, "schema", context) is { ValueKind: JsonValueKind.Object } schema && HasType(schema, "Interface", context))
                {
                    Discover(schema, $"{path}.contents[{i}].schema", context);
                }

                i++;
            }
        }
    }

    private DocContext? ReadContext(JsonElement c, string path)
    {
        var ids = new List<string>();
        if (c.ValueKind == JsonValueKind.String)
        {
            ids.Add(c.GetString()!);
        }
        else if (c.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in c.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    ids.Add(item.GetString()!);
                }
                else
                {
                    sink.Error(_doc, $"{path}[{i}]", "context-syntax", $"expected a context DTMI string, found {Describe(item)}");
                }

                i++;
            }
        }
        else
        {
            sink.Error(_doc, path, "context-syntax", $"expected a string or an array of strings, found {Describe(c)}");
            return null;
        }

        var version = ids.Contains(DtdlTerms.ContextV3) ? 3 : ids.Contains(DtdlTerms.ContextV2) ? 2 : 0;
        if (version == 0)
        {
            var other = ids.FirstOrDefault(s => s.StartsWith("dtmi:dtdl:context;", StringComparison.Ordinal));
            sink.Error(_doc, path, other is null ? "missing-context" : "unsupported-version",
                other is null
                    ? "@context must include \"dtmi:dtdl:context;3\" or \"dtmi:dtdl:context;2\""
                    : $"'{other}' is not supported; expected \"dtmi:dtdl:context;3\" or \"dtmi:dtdl:context;2\"");
            return null;
        }

        if (ids.Contains(DtdlTerms.ContextV3) && ids.Contains(DtdlTerms.ContextV2))
        {
            sink.Error(_doc, path, "context-syntax", "@context names both DTDL v2 and v3; choose one");
        }

        if (version == 3 && ids[0] != DtdlTerms.ContextV3)
        {
            // v3 spec, "Context": the DTDL context must always be first. v2 documents in the wild put it anywhere.
            sink.Error(_doc, path, "context-order", "in DTDL v3 \"dtmi:dtdl:context;3\" must be the first context specifier");
        }

        var known = version == 2 ? DtdlTerms.ExtensionsV2 : DtdlTerms.ExtensionsV3;
        var features = Feature.None;
        var mqtt = 0;
        var incomplete = false;
        var extensions = new List<Dtmi>();
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            if (id is DtdlTerms.ContextV2 or DtdlTerms.ContextV3)
            {
                continue;
            }

            var itemPath = c.ValueKind == JsonValueKind.Array ? $"{path}[{i}]" : path;
            if (known.TryGetValue(id, out var f))
            {
                features |= f.Feature;
                if (f.Feature == Feature.Mqtt)
                {
                    mqtt = f.Version;
                }

                extensions.Add(new Dtmi(id));
                continue;
            }

            var usable = string.Join(", ", known.Keys);
            sink.ErrorOrWarning(options.AllowUnknownExtensions, _doc, itemPath, "unknown-extension",
                $"'{id}' is not an extension usable with DTDL v{version}; known: {usable}");
            incomplete = true;
            extensions.Add(new Dtmi(id));
        }

        return new DocContext { Version = version, Features = features, MqttVersion = mqtt, Incomplete = incomplete, Extensions = extensions };
    }

    private InterfaceDraft? ReadInterface(JsonElement e, string path, DocContext ctx)
    {
        var info = ReadElement(e, path, [Kind.Interface], true, ctx, null);
        if (info is null)
        {
            return null;
        }

        if (info.Id is null)
        {
            return null;
        }

        var draft = new InterfaceDraft
        {
            Id = info.Id,
            Document = _doc,
            Path = path,
            Context = ctx,
            Element = e,
            DisplayName = info.DisplayName,
            Description = info.Description,
            Comment = info.Comment,
            CoTypes = info.CoTypes,
            ExtensionProperties = info.Extensions,
        };

        if (info.Props.TryGetValue("extends", out var ext))
        {
            ReadExtends(draft, ext, path + ".extends", ctx);
        }

        if (info.Props.TryGetValue("schemas", out var schemas))
        {
            ForEachObject(schemas, path + ".schemas", (s, p) =>
            {
                if (!s.TryGetProperty("@id", out _))
                {
                    sink.Error(_doc, p, "missing-property", "an interface-level schema needs an @id so that it can be referenced");
                }

                if (ReadSchema(s, p, ctx, draft) is { } schema)
                {
                    draft.Schemas.Add(schema);
                }
            });
        }

        if (info.Props.TryGetValue("contents", out var contents))
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            ForEachObject(contents, path + ".contents", (c, p) =>
            {
                var content = ReadContent(c, p, ctx, draft);
                if (content is null)
                {
                    return;
                }

                if (names.TryGetValue(content.Name, out var first))
                {
                    sink.Error(_doc, p + ".name", "duplicate-name", $"'{content.Name}' is already the name of {first}; names must be unique among an Interface's contents");
                    return;
                }

                names[content.Name] = p;
                draft.Contents.Add((content, p));
            });
        }

        return draft;
    }

    private void ReadExtends(InterfaceDraft draft, JsonElement ext, string path, DocContext ctx)
    {
        void One(JsonElement item, string p)
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                var s = item.GetString()!;
                if (CheckDtmi(s, p, ctx.Version, DtmiSyntax.MaxInterfaceLength))
                {
                    draft.Extends.Add((new Dtmi(s), p));
                }
            }
            else if (item.ValueKind == JsonValueKind.Object)
            {
                // The inline interface was queued by Discover; here it only contributes its identifier.
                if (item.TryGetProperty("@id", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    draft.Extends.Add((new Dtmi(id.GetString()!), p));
                }
            }
            else
            {
                sink.Error(_doc, p, "type-mismatch", $"expected an Interface DTMI or an inline Interface, found {Describe(item)}");
            }
        }

        if (ext.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in ext.EnumerateArray())
            {
                One(item, $"{path}[{i++}]");
            }

            if (ctx.Version == 2 && i > 2)
            {
                sink.Error(_doc, path, "extends-count", $"DTDL v2 allows at most 2 Interfaces in extends; found {i}");
            }
        }
        else
        {
            One(ext, path);
        }
    }

    private Content? ReadContent(JsonElement e, string path, DocContext ctx, InterfaceDraft draft)
    {
        draft.ElementCount++;
        var info = ReadElement(e, path, [Kind.Property, Kind.Telemetry, Kind.Command, Kind.Relationship, Kind.Component], true, ctx, draft);
        if (info is null || info.Name is null)
        {
            return null;
        }

        switch (info.Kind)
        {
            case Kind.Property:
                return ReadProperty(info, path, ctx, draft);
            case Kind.Telemetry:
                {
                    var schema = ReadSchemaUse(info, path, ctx, draft, false);
                    return schema is null ? null : Fill(new TelemetryDef { Name = info.Name, DefinedIn = draft.Id, Schema = schema }, info);
                }

            case Kind.Command:
                return Fill(new CommandDef
                {
                    Name = info.Name,
                    DefinedIn = draft.Id,
                    Request = ReadPayload(info, "request", path, ctx, draft),
                    Response = ReadPayload(info, "response", path, ctx, draft),
                }, info);
            case Kind.Relationship:
                return ReadRelationship(info, path, ctx, draft);
            case Kind.Component:
                return ReadComponent(info, path, ctx, draft);
            default:
                return null;
        }
    }

    private PropertyDef? ReadProperty(ElementInfo info, string path, DocContext ctx, InterfaceDraft draft)
    {
        var schema = ReadSchemaUse(info, path, ctx, draft, ctx.Version == 2);
        var writable = ReadBool(info, "writable", path);
        return schema is null ? null : Fill(new PropertyDef { Name = info.Name!, DefinedIn = draft.Id, Schema = schema, Writable = writable }, info);
    }

    private CommandPayload? ReadPayload(ElementInfo command, string term, string path, DocContext ctx, InterfaceDraft draft)
    {
        if (!command.Props.TryGetValue(term, out var e))
        {
            return null;
        }

        var p = $"{path}.{term}";
        draft.ElementCount++;
        Kind[] kinds = ctx.Version == 2 ? [Kind.CommandPayload] : [term == "request" ? Kind.CommandRequest : Kind.CommandResponse, Kind.CommandPayload];
        var info = ReadElement(e, p, kinds, false, ctx, draft);
        if (info?.Name is null)
        {
            return null;
        }

        var schema = ReadSchemaUse(info, p, ctx, draft, false);
        return schema is null ? null : new CommandPayload(info.Name, schema);
    }

    private RelationshipDef? ReadRelationship(ElementInfo info, string path, DocContext ctx, InterfaceDraft draft)
    {
        Dtmi? target = null;
        if (info.Props.TryGetValue("target", out var t))
        {
            if (t.ValueKind == JsonValueKind.Array && t.GetArrayLength() == 1)
            {
                // JSON-LD: a single value may be written as a one-element array (seen in iot-plugandplay-models).
                t = t[0];
            }

            if (t.ValueKind != JsonValueKind.String)
            {
                sink.Error(_doc, path + ".target", "type-mismatch", $"expected an Interface DTMI, found {Describe(t)}");
            }
            else if (CheckDtmi(t.GetString()!, path + ".target", ctx.Version, DtmiSyntax.MaxUserLength))
            {
                target = new Dtmi(t.GetString()!);
            }
        }

        var min = ReadInt(info, "minMultiplicity", path);
        var max = ReadInt(info, "maxMultiplicity", path);
        if (min is { } mn && mn != 0)
        {
            sink.Error(_doc, path + ".minMultiplicity", "multiplicity", $"minMultiplicity must be 0 in DTDL v{ctx.Version}; found {mn}");
        }

        if (max is { } mx)
        {
            if (mx < 1)
            {
                sink.Error(_doc, path + ".maxMultiplicity", "multiplicity", $"maxMultiplicity must be >= 1; found {mx}");
            }
            else if (ctx.Version == 2 && mx > 500)
            {
                sink.Error(_doc, path + ".maxMultiplicity", "multiplicity", $"DTDL v2 limits maxMultiplicity to 500; found {mx}");
            }

            if (min is { } mn2 && mn2 > mx)
            {
                sink.Error(_doc, path + ".minMultiplicity", "multiplicity", $"minMultiplicity {mn2} exceeds maxMultiplicity {mx}");
            }
        }

        var properties = new List<PropertyDef>();
        if (info.Props.TryGetValue("properties", out var props))
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            ForEachObject(props, path + ".properties", (pe, pp) =>
            {
                draft.ElementCount++;
                var pi = ReadElement(pe, pp, [Kind.Property], true, ctx, draft);
                if (pi?.Name is null || ReadProperty(pi, pp, ctx, draft) is not { } pd)
                {
                    return;
                }

                if (!names.Add(pd.Name))
                {
                    sink.Error(_doc, pp + ".name", "duplicate-name", $"'{pd.Name}' is already a property of this Relationship");
                    return;
                }

                properties.Add(pd);
            });
            if (ctx.Version == 2 && props.ValueKind == JsonValueKind.Array && props.GetArrayLength() > 300)
            {
                sink.Error(_doc, path + ".properties", "contents-count", $"DTDL v2 allows at most 300 Relationship properties; found {props.GetArrayLength()}");
            }
        }

        return Fill(new RelationshipDef
        {
            Name = info.Name!,
            DefinedIn = draft.Id,
            Target = target,
            MinMultiplicity = min,
            MaxMultiplicity = max,
            Writable = ReadBool(info, "writable", path),
            Properties = properties,
        }, info);
    }

    private ComponentDef? ReadComponent(ElementInfo info, string path, DocContext ctx, InterfaceDraft draft)
    {
        var s = info.Props["schema"];
        var p = path + ".schema";
        Dtmi? schema = null;
        if (s.ValueKind == JsonValueKind.String)
        {
            var v = s.GetString()!;
            if (!v.StartsWith("dtmi:", StringComparison.Ordinal))
            {
                sink.Error(_doc, p, "invalid-component-schema", $"a Component's schema must be an Interface (DTMI or inline); found '{v}'");
            }
            else if (CheckDtmi(v, p, ctx.Version, DtmiSyntax.MaxInterfaceLength))
            {
                schema = new Dtmi(v);
            }
        }
        else if (s.ValueKind == JsonValueKind.Object && HasType(s, "Interface", ctx))
        {
            if (s.TryGetProperty("@id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                schema = new Dtmi(id.GetString()!);
            }
        }
        else
        {
            sink.Error(_doc, p, "invalid-component-schema", $"a Component's schema must be an Interface DTMI or an inline Interface; found {Describe(s)}");
        }

        return schema is null ? null : Fill(new ComponentDef { Name = info.Name!, DefinedIn = draft.Id, Schema = schema }, info);
    }

    private static T Fill<T>(T content, ElementInfo info)
        where T : Content
    {
        // Content's common members are init-only and the subclasses are constructed in one place each, so copy here.
        return content switch
        {
            PropertyDef p => (T)(Content)CopyCommon(p, info),
            TelemetryDef t => (T)(Content)CopyCommon(t, info),
            CommandDef c => (T)(Content)CopyCommon(c, info),
            RelationshipDef r => (T)(Content)CopyCommon(r, info),
            ComponentDef c => (T)(Content)CopyCommon(c, info),
            _ => content,
        };
    }

    private static PropertyDef CopyCommon(PropertyDef c, ElementInfo i) => new()
    {
        Name = c.Name,
        DefinedIn = c.DefinedIn,
        Schema = c.Schema,
        Writable = c.Writable,
        Id = i.Id,
        DisplayName = i.DisplayName,
        Description = i.Description,
        Comment = i.Comment,
        SemanticTypes = i.CoTypes,
        Unit = i.Unit,
        Extensions = i.Extensions,
    };

    private static TelemetryDef CopyCommon(TelemetryDef c, ElementInfo i) => new()
    {
        Name = c.Name,
        DefinedIn = c.DefinedIn,
        Schema = c.Schema,
        Id = i.Id,
        DisplayName = i.DisplayName,
        Description = i.Description,
        Comment = i.Comment,
        SemanticTypes = i.CoTypes,
        Unit = i.Unit,
        Extensions = i.Extensions,
    };

    private static CommandDef CopyCommon(CommandDef c, ElementInfo i) => new()
    {
        Name = c.Name,
        DefinedIn = c.DefinedIn,
        Request = c.Request,
        Response = c.Response,
        Id = i.Id,
        DisplayName = i.DisplayName,
        Description = i.Description,
        Comment = i.Comment,
        SemanticTypes = i.CoTypes,
        Unit = i.Unit,
        Extensions = i.Extensions,
    };

    private static RelationshipDef CopyCommon(RelationshipDef c, ElementInfo i) => new()
    {
        Name = c.Name,
        DefinedIn = c.DefinedIn,
        Target = c.Target,
        MinMultiplicity = c.MinMultiplicity,
        MaxMultiplicity = c.MaxMultiplicity,
        Writable = c.Writable,
        Properties = c.Properties,
        Id = i.Id,
        DisplayName = i.DisplayName,
        Description = i.Description,
        Comment = i.Comment,
        SemanticTypes = i.CoTypes,
        Unit = i.Unit,
        Extensions = i.Extensions,
    };

    private static ComponentDef CopyCommon(ComponentDef c, ElementInfo i) => new()
    {
        Name = c.Name,
        DefinedIn = c.DefinedIn,
        Schema = c.Schema,
        Id = i.Id,
        DisplayName = i.DisplayName,
        Description = i.Description,
        Comment = i.Comment,
        SemanticTypes = i.CoTypes,
        Unit = i.Unit,
        Extensions = i.Extensions,
    };

    private bool ReadBool(ElementInfo info, string term, string path)
    {
        if (!info.Props.TryGetValue(term, out var v))
        {
            return false;
        }

        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetBoolean();
        }

        sink.Error(_doc, $"{path}.{term}", "type-mismatch", $"expected true or false, found {Describe(v)}");
        return false;
    }

    private int? ReadInt(ElementInfo info, string term, string path)
    {
        if (!info.Props.TryGetValue(term, out var v))
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i))
        {
            return i;
        }

        sink.Error(_doc, $"{path}.{term}", "type-mismatch", $"expected an integer, found {Describe(v)}");
        return null;
    }

    private void ForEachObject(JsonElement array, string path, Action<JsonElement, string> each)
    {
        if (array.ValueKind == JsonValueKind.Object)
        {
            // JSON-LD: a set with one member may be written as that member alone (REC's Equipment.json does so).
            each(array, path);
            return;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            sink.Error(_doc, path, "type-mismatch", $"expected an array, found {Describe(array)}");
            return;
        }

        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var p = $"{path}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                sink.Error(_doc, p, "type-mismatch", $"expected an object, found {Describe(item)}");
                continue;
            }

            each(item, p);
        }
    }

    private bool CheckDtmi(string s, string path, int version, int maxLength)
    {
        if (DtmiSyntax.Check(s, version, maxLength) is { } problem)
        {
            sink.Error(_doc, path, s.Length > maxLength ? "dtmi-length" : "dtmi-syntax", problem);
            return false;
        }

        return true;
    }

    internal static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"string '{Shorten(e.GetString()!)}'",
        JsonValueKind.Number => $"number {e.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"boolean {e.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => e.ValueKind.ToString(),
    };

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";

    /// <summary>Looks a property up by term or by its full IRI (v2 exports spell out "dtmi:dtdl:property:schema;2").</summary>
    private static JsonElement? Get(JsonElement e, string term, DocContext ctx)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (e.TryGetProperty(term, out var v))
        {
            return v;
        }

        return e.TryGetProperty($"dtmi:dtdl:property:{term};{ctx.Version}", out v) ? v : null;
    }

    private static bool HasType(JsonElement e, string type, DocContext ctx)
    {
        if (!e.TryGetProperty("@type", out var t))
        {
            return false;
        }

        if (t.ValueKind == JsonValueKind.String)
        {
            return NormalizeClass(t.GetString()!, ctx) == type;
        }

        if (t.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in t.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && NormalizeClass(item.GetString()!, ctx) == type)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string NormalizeClass(string s, DocContext ctx)
    {
        const string prefix = "dtmi:dtdl:class:";
        var suffix = ";" + ctx.Version.ToString(CultureInfo.InvariantCulture);
        return s.StartsWith(prefix, StringComparison.Ordinal) && s.EndsWith(suffix, StringComparison.Ordinal)
            ? s[prefix.Length..^suffix.Length]
            : s;
    }

    [GeneratedRegex("^[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")]
    private static partial Regex LanguageTag();

    // ISO 8601 duration as used by xsd:duration, e.g. PT1H30M or P1DT2S.
    [GeneratedRegex(@"^-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$")]
    private static partial Regex DurationPattern();

    // MQTT extension "Topic Pattern": labels of printable ASCII (no space " + # { } /) or {token} / {prefix:token}.
    [GeneratedRegex(@"^(?!\$)(?:[!$-*,-.0-z|~]+|\{(?:[A-Za-z]+:)?[A-Za-z]+\})(?:/(?:[!$-*,-.0-z|~]+|\{(?:[A-Za-z]+:)?[A-Za-z]+\}))*$")]
    private static partial Regex TopicPattern();

    [GeneratedRegex(@"^[!$-*,-.0-z|~]+$")]
    private static partial Regex ServiceGroupPattern();
}
