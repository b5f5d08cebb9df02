using System.Text.Json;
using System.Text.RegularExpressions;

namespace Doppel.Modeling.Internal;

/// <summary>
/// Reads DTDL documents into <see cref="InterfaceDraft"/>s, checking everything that can be checked within one element:
/// syntax, types, co-types, properties, limits and schemas. Cross-interface rules are <see cref="ModelLinker"/>'s.
/// </summary>
internal sealed partial class DocumentReader(ModelParserOptions options, ErrorSink sink)
{
    private const int MaxComment = 512;

    /// <summary>
    /// How deep JSON may nest: System.Text.Json's default, the limit of the official DTDL parser, which reads documents
    /// with it. DTDL is silent; no valid model within DTDL's own limits comes near it (eight nested Objects are 30 levels).
    /// </summary>
    private const int MaxJsonDepth = 64;

    /// <summary>Interfaces to read; TopLevel when the context given is the one read from the element itself.</summary>
    private readonly List<(JsonElement Element, string Document, string Path, DocContext Context, bool TopLevel)> _pending = [];

    /// <summary>Every element with an @id, for dependent references (DTDL "Model completeness").</summary>
    private readonly Dictionary<string, ElementDef> _elements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Schema?> _builtSchemas = new(StringComparer.Ordinal);
    private readonly HashSet<string> _building = new(StringComparer.Ordinal);
    private readonly List<(Dtmi Id, string Document, string Path)> _cycleFixups = [];
    private string _doc = "";

    /// <summary>The partition being read: the path of the Interface whose elements are referenceable (DTDL "Partitions").</summary>
    private string _partition = "";

    public List<InterfaceDraft> Read(IReadOnlyList<ModelDocument> documents)
    {
        // Pass 1 finds every interface (inline ones too) and every element with an @id, because a reference may be used
        // before, or in another document than, the element it names.
        foreach (var document in documents)
        {
            _doc = document.Name;
            var json = document.Json.Length > 0 && document.Json[0] == '\uFEFF' ? document.Json[1..] : document.Json;
            JsonElement root;
            try
            {
                using var parsed = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
                root = parsed.RootElement.Clone();
            }
            catch (JsonException e)
            {
                sink.Error(_doc, "$", "json-syntax", $"document is not valid JSON: {e.Message}");
                continue;
            }
            catch (ArgumentException e)
            {
                // A string that is not valid UTF-16 (a lone surrogate) cannot be read as JSON text at all.
                sink.Error(_doc, "$", "json-syntax", $"document is not valid text: {e.Message}");
                continue;
            }

            if (json.Contains("\\u", StringComparison.Ordinal) && InvalidEscape(root, "$") is { } where)
            {
                // System.Text.Json parses "\ud800" alone, then throws when the string is read: refuse the document first.
                sink.Error(_doc, where, "json-syntax", "the text has an escaped surrogate (\\uD800-\\uDFFF) that is not part of a pair, so it is not a valid string");
                continue;
            }

            if (JsonLdForms.HasNestedArray(root))
            {
                root = JsonLdForms.FlattenNestedArrays(root);
            }

            if (root.ValueKind == JsonValueKind.Object)
            {
                DiscoverTopLevel(root, "$");
            }
            else if (root.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in root.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        DiscoverTopLevel(item, $"$[{i}]");
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
        foreach (var (element, document, path, context, topLevel) in _pending)
        {
            _doc = document;
            _partition = document + path;
            if (ReadInterface(element, path, context, topLevel) is { } draft)
            {
                drafts.Add(draft);
            }
        }

        return drafts;
    }

    /// <summary>The path of the first string or member name that cannot be read (an unpaired escaped surrogate), else null.</summary>
    private static string? InvalidEscape(JsonElement e, string path)
    {
        try
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String:
                    _ = e.GetString();
                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in e.EnumerateArray())
                    {
                        if (InvalidEscape(item, $"{path}[{i++}]") is { } inner)
                        {
                            return inner;
                        }
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var member in e.EnumerateObject())
                    {
                        if (InvalidEscape(member.Value, $"{path}.{member.Name}") is { } inner)
                        {
                            return inner;
                        }
                    }

                    break;
            }

            return null;
        }
        catch (InvalidOperationException)
        {
            return path;
        }
    }

    private void DiscoverTopLevel(JsonElement e, string path)
    {
        if (!e.TryGetProperty("@context", out var c))
        {
            sink.Error(_doc, path, "missing-context", "a top-level Interface needs @context \"dtmi:dtdl:context;4\", \"dtmi:dtdl:context;3\" or \"dtmi:dtdl:context;2\"");
            return;
        }

        if (ReadContext(c, path + ".@context", null) is not { } context)
        {
            return;
        }

        if (!HasType(e, "Interface", context))
        {
            // Top-level elements must be Interfaces (TopLevelRootable); ReadInterface says what is wrong with @type.
            _pending.Add((e, _doc, path, context, true));
            return;
        }

        Discover(e, path, context, _doc + path, true, topLevel: true);
    }

    /// <summary>Walks an element and everything below it: queues Interfaces, indexes @ids by partition, scopes inner @contexts.</summary>
    private void Discover(JsonElement e, string path, DocContext context, string partition, bool isInterface, bool topLevel = false, string? includedBy = null)
    {
        if (isInterface)
        {
            partition = _doc + path;
            _pending.Add((e, _doc, path, context, topLevel));
        }

        if (e.TryGetProperty("@id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            var key = id.GetString()!;
            if (_elements.TryGetValue(key, out var first))
            {
                // Two Interfaces with one @id are reported by the linker, which also sees the existing models.
                if (!(first.IsInterface && isInterface))
                {
                    sink.Error(_doc, path + ".@id", "duplicate-id", $"'{key}' is already the @id of the element at {first.Document} {first.Path}; @id values must be unique in a model");
                }
            }
            else
            {
                _elements[key] = new ElementDef(e, _doc, path, context, partition, isInterface, includedBy);
            }
        }

        foreach (var member in e.EnumerateObject())
        {
            if (member.Name.StartsWith('@') || IsLiteralMember(member.Name, context))
            {
                continue;
            }

            if (member.Value.ValueKind == JsonValueKind.Object)
            {
                DiscoverChild(member.Value, $"{path}.{member.Name}", context, partition, member.Name);
            }
            else if (member.Value.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in member.Value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        DiscoverChild(item, $"{path}.{member.Name}[{i}]", context, partition, member.Name);
                    }

                    i++;
                }
            }
        }
    }

    private void DiscoverChild(JsonElement e, string path, DocContext parent, string partition, string member)
    {
        if (e.TryGetProperty("@value", out _) || e.TryGetProperty("@language", out _))
        {
            return;
        }

        var context = parent;
        if (e.TryGetProperty("@context", out var c))
        {
            // Errors in an inner @context are reported once, when the element is read.
            sink.Quiet++;
            context = ReadContext(c, path + ".@context", parent) ?? parent;
            sink.Quiet--;
        }

        Discover(e, path, context, partition, HasType(e, "Interface", context), includedBy: context.Terms.TermOf(member) ?? member);
    }

    /// <summary>The DTDL version an inner @context gives its element (errors in it are reported where the element is read).</summary>
    private int InnerVersion(JsonElement context, string path, DocContext parent)
    {
        sink.Quiet++;
        try
        {
            return (ReadContext(context, path + ".@context", parent) ?? parent).Version;
        }
        finally
        {
            sink.Quiet--;
        }
    }

    /// <summary>Members whose values are literals or language maps, never elements (their objects are not walked).</summary>
    private static bool IsLiteralMember(string name, DocContext context)
    {
        var term = context.Terms.TermOf(name) ?? name;
        return term is "displayName" or "description" or "comment" or "name" or "enumValue" or "writable" or "minMultiplicity" or "maxMultiplicity"
            or "nullable" or "unit" or "commandType" or "target";
    }

    private InterfaceDraft? ReadInterface(JsonElement e, string path, DocContext context, bool topLevel)
    {
        var info = ReadElement(e, path, [Kind.Interface], true, context, null, contextRead: topLevel);
        if (info?.Id is null)
        {
            return null;
        }

        var ctx = info.Context;
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
            ForEachElement(schemas, path + ".schemas", "schemas", (s, p, sctx) =>
            {
                if (s.ValueKind == JsonValueKind.String)
                {
                    // A reference in "schemas" includes the named schema here; it is read where it is defined.
                    if (ResolveNamedSchema(s.GetString()!, p, sctx) is { } referenced)
                    {
                        draft.Schemas.Add(referenced);
                    }

                    return;
                }

                if (!s.TryGetProperty("@id", out _))
                {
                    sink.Error(_doc, p, "missing-property", "an interface-level schema needs an @id so that it can be referenced");
                }

                if (s.TryGetProperty("@context", out var inner) && InnerVersion(inner, p, sctx) < sctx.Version)
                {
                    // "schemas": "… MUST conform to the definition of DTDL element Array or Enum or Map or Object", of the
                    // Interface's own version (where schema and elementSchema also allow earlier versions' elements).
                    sink.Error(_doc, p + ".@context", "version-mixing", $"an Interface's schemas must be written in its DTDL version (v{sctx.Version}); this one declares DTDL v{InnerVersion(inner, p, sctx)}");
                }

                if (ReadSchema(s, p, sctx, draft) is { } schema)
                {
                    CheckSchemaDepth(schema, p, sctx);
                    draft.Schemas.Add(schema);
                }
            }, ctx);
        }

        if (info.Props.TryGetValue("contents", out var contents))
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            var ids = new HashSet<Dtmi>();
            var indexes = new HashSet<int>();
            ForEachElement(contents, path + ".contents", "contents", (c, p, cctx) =>
            {
                var content = ReadReferenced(c, p, cctx, "contents", (el, ep, ectx) => ReadContent(el, ep, ectx, draft));
                if (content is null)
                {
                    return;
                }

                if (content.Id is { } id && !ids.Add(id))
                {
                    // The same element named twice (defined and referenced, or referenced again): a member's values are a set.
                    return;
                }

                if (names.TryGetValue(content.Name, out var first))
                {
                    sink.Error(_doc, p + ".name", "duplicate-name", $"'{content.Name}' is already the name of {first}; names must be unique among an Interface's contents");
                    return;
                }

                names[content.Name] = p;
                CheckUniqueIndex(indexes, content.Extensions, p);
                draft.Contents.Add((content, p));
            }, ctx);
        }

        return draft;
    }

    private void ReadExtends(InterfaceDraft draft, JsonElement ext, string path, DocContext ctx)
    {
        var count = 0;
        var values = 0;
        ForEachElement(ext, path, "extends", (item, p, _) =>
        {
            count++;
            values++;
            if (item.ValueKind == JsonValueKind.String)
            {
                var s = item.GetString()!;
                if (CheckDtmi(s, p, ctx.Version, DtmiSyntax.MaxInterfaceLength))
                {
                    if (_elements.TryGetValue(s, out var target) && !target.IsInterface)
                    {
                        sink.Error(_doc, p, "type-mismatch", $"'{s}' names the element at {target.Document} {target.Path}, which is not an Interface");
                        return;
                    }

                    if (draft.Extends.Any(e => e.Id.Value == s))
                    {
                        // The same Interface twice is one base: extends' values are a set.
                        count--;
                        return;
                    }

                    draft.Extends.Add((new Dtmi(s), p));
                }
            }
            else
            {
                // The inline interface was queued by Discover; here it only contributes its identifier.
                if (HasType(item, "Interface", ctx) && TryGetId(item, out var id))
                {
                    draft.Extends.Add((new Dtmi(id), p));
                }
                else if (!HasType(item, "Interface", ctx))
                {
                    sink.Error(_doc, p, "type-mismatch", "extends takes Interfaces: an Interface DTMI or an inline Interface (with @type \"Interface\")");
                }
            }
        }, ctx);

        draft.ExtendsValues = values;
        if (ctx.Version == 2 && count > 2)
        {
            sink.Error(_doc, path, "extends-count", $"DTDL v2 allows at most 2 Interfaces in extends; found {count}");
        }
    }

    private Content? ReadContent(JsonElement e, string path, DocContext context, InterfaceDraft draft)
    {
        draft.ElementCount++;
        var info = ReadElement(e, path, [Kind.Property, Kind.Telemetry, Kind.Command, Kind.Relationship, Kind.Component], true, context, draft);
        if (info is null || info.Name is null)
        {
            return null;
        }

        var ctx = info.Context;
        switch (info.Kind)
        {
            case Kind.Property:
                return ReadProperty(info, path, ctx, draft);
            case Kind.Telemetry:
                {
                    var schema = ReadSchemaUse(info, path, ctx, draft);
                    return schema is null ? null : Fill(new TelemetryDef { Name = info.Name, DefinedIn = draft.Id, Schema = schema }, info);
                }

            case Kind.Command:
                ReadCommandType(info, path);
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

    /// <summary>MQTT's Indexed: an index must be unique among the EnumValues, Fields or Telemetries of one member.</summary>
    private void CheckUniqueIndex(HashSet<int> seen, IReadOnlyDictionary<string, object?> extensions, string path)
    {
        if (extensions.TryGetValue("index", out var index) && index is int i && !seen.Add(i))
        {
            sink.Error(_doc, path + ".index", "duplicate-index", $"index {i} is already used by a sibling element");
        }
    }

    /// <summary>commandType (deprecated from v3 on) takes "synchronous" or "asynchronous", as terms or identifiers.</summary>
    private void ReadCommandType(ElementInfo info, string path)
    {
        if (One(info, "commandType", path) is not { } v)
        {
            return;
        }

        var p = path + ".commandType";
        if (ReadIdentifier(v, p, "commandType") is { } s)
        {
            var term = info.Context.Terms.TermOf(s);
            if (term is not ("synchronous" or "asynchronous"))
            {
                sink.Error(_doc, p, "invalid-value", $"commandType must be \"synchronous\" or \"asynchronous\"; found '{Shorten(s)}'");
            }
        }
    }

    private PropertyDef? ReadProperty(ElementInfo info, string path, DocContext ctx, InterfaceDraft draft)
    {
        var schema = ReadSchemaUse(info, path, ctx, draft);
        var writable = ReadBool(info, "writable", path);
        return schema is null ? null : Fill(new PropertyDef { Name = info.Name!, DefinedIn = draft.Id, Schema = schema, Writable = writable }, info);
    }

    private CommandPayload? ReadPayload(ElementInfo command, string term, string path, DocContext ctx, InterfaceDraft draft)
    {
        var p = $"{path}.{term}";
        if (One(command, term, path) is not { } e)
        {
            return null;
        }

        return ReadReferenced(e, p, ctx, term, (el, ep, ectx) =>
        {
            draft.ElementCount++;
            // From DTDL v3 CommandPayload is abstract: a request is a CommandRequest, a response a CommandResponse.
            Kind[] kinds = ectx.Version == 2 ? [Kind.CommandPayload] : [term == "request" ? Kind.CommandRequest : Kind.CommandResponse];
            var info = ReadElement(el, ep, kinds, false, ectx, draft);
            if (info?.Name is null)
            {
                return null;
            }

            var nullable = info.Props.ContainsKey("nullable") && ReadBool(info, "nullable", ep);
            var schema = ReadSchemaUse(info, ep, info.Context, draft);
            return schema is null ? null : new CommandPayload(info.Name, schema) { Nullable = nullable };
        });
    }

    private RelationshipDef? ReadRelationship(ElementInfo info, string path, DocContext ctx, InterfaceDraft draft)
    {
        Dtmi? target = null;
        if (One(info, "target", path) is { } t)
        {
            if (ReadIdentifier(t, path + ".target", "target") is { } s && CheckDtmi(s, path + ".target", ctx.Version, DtmiSyntax.MaxUserLength))
            {
                target = new Dtmi(s);
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
        }

        var properties = new List<PropertyDef>();
        if (info.Props.TryGetValue("properties", out var props))
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var count = 0;
            ForEachElement(props, path + ".properties", "properties", (pe, pp, pctx) =>
            {
                count++;
                var pd = ReadReferenced(pe, pp, pctx, "properties", (el, ep, ectx) =>
                {
                    draft.ElementCount++;
                    var pi = ReadElement(el, ep, [Kind.Property], true, ectx, draft);
                    return pi?.Name is null ? null : ReadProperty(pi, ep, pi.Context, draft);
                });
                if (pd is null)
                {
                    return;
                }

                if (!names.Add(pd.Name))
                {
                    sink.Error(_doc, pp + ".name", "duplicate-name", $"'{pd.Name}' is already a property of this Relationship");
                    return;
                }

                properties.Add(pd);
            }, ctx);
            if (ctx.Version == 2 && count > 300)
            {
                sink.Error(_doc, path + ".properties", "contents-count", $"DTDL v2 allows at most 300 Relationship properties; found {count}");
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
        var p = path + ".schema";
        if (One(info, "schema", path) is not { } s)
        {
            return null;
        }

        Dtmi? schema = null;
        if (s.ValueKind == JsonValueKind.String)
        {
            var v = s.GetString()!;
            if (!v.StartsWith("dtmi:", StringComparison.Ordinal) || ctx.Terms.TermOf(v) is not null)
            {
                sink.Error(_doc, p, "invalid-component-schema", $"a Component's schema must be an Interface (DTMI or inline); found '{Shorten(v)}'");
            }
            else if (CheckDtmi(v, p, ctx.Version, DtmiSyntax.MaxInterfaceLength))
            {
                if (_elements.TryGetValue(v, out var target) && !target.IsInterface)
                {
                    sink.Error(_doc, p, "invalid-component-schema", $"a Component's schema must be an Interface; '{v}' names the element at {target.Document} {target.Path}");
                }
                else
                {
                    schema = new Dtmi(v);
                }
            }
        }
        else if (s.ValueKind == JsonValueKind.Object && HasType(s, "Interface", ctx))
        {
            if (TryGetId(s, out var id))
            {
                schema = new Dtmi(id);
            }
        }
        else
        {
            sink.Error(_doc, p, "invalid-component-schema", $"a Component's schema must be an Interface DTMI or an inline Interface; found {Describe(s)}");
        }

        if (schema is null)
        {
            return null;
        }

        var component = Fill(new ComponentDef { Name = info.Name!, DefinedIn = draft.Id, Schema = schema }, info);
        draft.ComponentVersions[component] = ctx.Version;
        return component;
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

    private bool ReadBool(ElementInfo info, string term, string path) =>
        One(info, term, path) is { } v && ReadBoolean(v, $"{path}.{term}", info.Context.Version) is true;

    private int? ReadInt(ElementInfo info, string term, string path) =>
        One(info, term, path) is { } v ? ReadInteger(v, $"{path}.{term}", info.Context.Version) : null;

    /// <summary>
    /// Calls <paramref name="each"/> for every value of a member that takes DTDL elements: one element, one reference, or an
    /// array of them (JSON-LD: a set with one member may be written as that member alone). Strings are references, which
    /// <paramref name="each"/> resolves (<see cref="ReadReferenced"/>) or keeps (extends).
    /// </summary>
    private void ForEachElement(JsonElement value, string path, string member, Action<JsonElement, string, DocContext> each, DocContext ctx)
    {
        void One(JsonElement item, string p)
        {
            if (item.ValueKind is JsonValueKind.Object or JsonValueKind.String)
            {
                each(item, p, ctx);
            }
            else
            {
                sink.Error(_doc, p, "type-mismatch", $"'{member}' takes DTDL elements (objects) or references to them (DTMIs); found {Describe(item)}");
            }
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                One(item, $"{path}[{i++}]");
            }
        }
        else
        {
            One(value, path);
        }
    }

    /// <summary>
    /// Reads an element given inline or as a dependent reference (a DTMI naming an element elsewhere in the model). Only
    /// Interfaces and elements of the same partition (the same Interface) may be referenced (DTDL "Partitions and referenceability").
    /// </summary>
    private T? ReadReferenced<T>(JsonElement value, string path, DocContext ctx, string member, Func<JsonElement, string, DocContext, T?> read)
        where T : class
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return read(value, path, ctx);
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            sink.Error(_doc, path, "type-mismatch", $"'{member}' takes a DTDL element (an object) or a reference to one (a DTMI); found {Describe(value)}");
            return null;
        }

        if (ResolveElement(value.GetString()!, path, ctx, member) is not { } def)
        {
            return null;
        }

        // Without @type an element's class is the one its place implies (a Map's mapValue is a MapValue): it conforms
        // to another member only if that member implies the same class.
        if (!def.Element.TryGetProperty("@type", out _) && def.Member is { } where && ImpliedClass(where, def.Context.Version) is { } implied
            && ImpliedClass(member, ctx.Version) is { } wanted && implied != wanted)
        {
            sink.Error(_doc, path, "type-mismatch", $"'{value.GetString()}' is a {implied} (by its place at {def.Path}, without @type); '{member}' takes a {wanted}");
            return null;
        }

        // The element is read where it is included, in the terms of the document and context that define it.
        var (doc, partition) = (_doc, _partition);
        (_doc, _partition) = (def.Document, def.Partition);
        try
        {
            return read(def.Element, def.Path, def.Context);
        }
        finally
        {
            (_doc, _partition) = (doc, partition);
        }
    }

    /// <summary>The class a member gives the elements it includes when they have no @type.</summary>
    private static string? ImpliedClass(string member, int version) => member switch
    {
        "mapKey" => "MapKey",
        "mapValue" => "MapValue",
        "fields" => "Field",
        "enumValues" => "EnumValue",
        "request" => version == 2 ? "CommandPayload" : "CommandRequest",
        "response" => version == 2 ? "CommandPayload" : "CommandResponse",
        _ => null,
    };

    /// <summary>Finds the element a dependent reference names, reporting a missing or unreferenceable one.</summary>
    private ElementDef? ResolveElement(string id, string path, DocContext ctx, string member)
    {
        if (DtmiSyntax.Check(id, ctx.Version) is { } problem)
        {
            sink.Error(_doc, path, "dtmi-syntax", $"'{member}' takes a DTDL element or a DTMI reference to one: {problem}");
            return null;
        }

        if (!_elements.TryGetValue(id, out var def))
        {
            sink.ErrorOrWarning(options.AllowUndefinedReferences, _doc, path, "undefined-reference", $"'{id}' is referenced by '{member}' but no element in the set has this @id");
            return null;
        }

        if (!def.IsInterface && def.Partition != _partition)
        {
            sink.Error(_doc, path, "unreferenceable", $"'{id}' is defined inside another Interface ({def.Document} {def.Path}); only Interfaces and elements of the same Interface may be referenced");
            return null;
        }

        if (!def.IsInterface && def.Context.Version < ctx.Version && member is "mapKey" or "mapValue" or "fields" or "enumValues" or "request" or "response")
        {
            // These members take elements of their own DTDL version only ("… MUST conform to the definition of DTDL element MapKey").
            sink.Error(_doc, path, "version-mixing", $"'{id}' is a DTDL v{def.Context.Version} element ({def.Document} {def.Path}); '{member}' of a DTDL v{ctx.Version} element takes elements of its own version");
            return null;
        }

        if (!def.IsInterface && def.Context.Version > ctx.Version)
        {
            // As for an inline element: a DTDL vN element includes elements of its own or earlier versions only.
            sink.Error(_doc, path, "version-mixing", $"'{id}' is a DTDL v{def.Context.Version} element ({def.Document} {def.Path}); a DTDL v{ctx.Version} element cannot include it");
            return null;
        }

        return def;
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
        JsonValueKind.Number => $"number {Shorten(e.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"boolean {e.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => e.ValueKind.ToString(),
    };

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";

    private static bool TryGetId(JsonElement e, out string id)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("@id", out var v))
        {
            if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 1)
            {
                v = v[0];
            }

            if (v.ValueKind == JsonValueKind.String)
            {
                id = v.GetString()!;
                return true;
            }
        }

        id = "";
        return false;
    }

    /// <summary>True when @type includes <paramref name="type"/>, as its term or as its identifier in the active context.</summary>
    private static bool HasType(JsonElement e, string type, DocContext ctx)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("@type", out var t))
        {
            return false;
        }

        if (t.ValueKind == JsonValueKind.String)
        {
            return ctx.Terms.TermOf(t.GetString()!) == type;
        }

        if (t.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in t.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && ctx.Terms.TermOf(item.GetString()!) == type)
                {
                    return true;
                }
            }
        }

        return false;
    }

    [GeneratedRegex("^[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?$")]
    private static partial Regex NamePattern();

    /// <summary>The specification's language code pattern (v2, v3 and v4 "Localizable string").</summary>
    [GeneratedRegex("^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")]
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

/// <summary>
/// An element with an @id, where it is defined: its document, path, active context, partition, and the member (as a term)
/// that structurally includes it, which gives its class when it has no @type.
/// </summary>
internal sealed record ElementDef(JsonElement Element, string Document, string Path, DocContext Context, string Partition, bool IsInterface, string? Member);
