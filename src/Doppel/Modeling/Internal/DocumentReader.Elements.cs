using System.Text.Json;

namespace Doppel.Modeling.Internal;

/// <summary>What every element has in common, read once: class, co-types, known properties and display texts.</summary>
internal sealed class ElementInfo
{
    public Kind Kind { get; set; }

    /// <summary>The element's active context: its parent's, combined with its own @context if it has one.</summary>
    public required DocContext Context { get; init; }

    public Dtmi? Id { get; set; }

    public string? Name { get; set; }

    public string? Comment { get; set; }

    public LocalizedText DisplayName { get; set; } = LocalizedText.Empty;

    public LocalizedText Description { get; set; } = LocalizedText.Empty;

    public List<string> CoTypes { get; } = [];

    /// <summary>The semantic type among the co-types (QuantitativeTypes, or v2's native ones), if any.</summary>
    public string? Semantic { get; set; }

    public string? Unit { get; set; }

    /// <summary>Co-typed with an undefined term (DTDL "informally co-typed"): undefined members are tolerated.</summary>
    public bool Informal { get; set; }

    /// <summary>The element's members by DTDL term (full identifiers folded to terms).</summary>
    public Dictionary<string, JsonElement> Props { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, object?> Extensions { get; } = new(StringComparer.Ordinal);
}

internal sealed partial class DocumentReader
{
    private static readonly string[] CommonMembers = ["@id", "@type", "comment", "description", "displayName"];

    /// <summary>Classes whose members (enumValues, mapKey, mapValue, fields, request, response) take elements of their parent's own DTDL version only.</summary>
    private static readonly Kind[] SameVersionKinds = [Kind.EnumValue, Kind.MapKey, Kind.MapValue, Kind.Field, Kind.CommandPayload, Kind.CommandRequest, Kind.CommandResponse];

    // contextRead: parent is already this element's active context (a top-level Interface, whose @context was read first).
    private ElementInfo? ReadElement(JsonElement e, string path, Kind[] expected, bool typeRequired, DocContext parent, InterfaceDraft? draft, bool contextRead = false)
    {
        _ = draft;
        var ctx = parent;
        if (!contextRead && e.TryGetProperty("@context", out var c))
        {
            ctx = ReadContext(c, path + ".@context", parent) ?? parent;
            if (ctx.Version > parent.Version)
            {
                // An element of one DTDL version may include elements of its own or earlier versions, never later ones.
                sink.Error(_doc, path + ".@context", "version-mixing", $"a DTDL v{parent.Version} element cannot include a DTDL v{ctx.Version} element");
            }
            else if (ctx.Version < parent.Version && expected.All(SameVersionKinds.Contains))
            {
                // Only some members take elements of earlier versions (contents, extends, schema, elementSchema, a Component's
                // schema, a Relationship's properties); "… MUST conform to the definition of DTDL element EnumValue" names
                // the element of the member's own version.
                sink.Error(_doc, path + ".@context", "version-mixing", $"a DTDL v{parent.Version} {expected[0]} must be written in DTDL v{parent.Version}; this one declares DTDL v{ctx.Version}");
            }
        }

        var info = new ElementInfo { Kind = expected[0], Context = ctx };
        var version = ctx.Version;
        List<string>? undefined = null;
        foreach (var member in e.EnumerateObject())
        {
            var key = member.Name;
            if (key.StartsWith('@'))
            {
                if (key == "@context")
                {
                    continue;
                }

                if (key is not ("@id" or "@type") && version == 2 && key != "@graph")
                {
                    // DTDL v2 only discourages other keywords ("SHOULD NOT"); it forbids @graph.
                    sink.Warning(_doc, $"{path}.{key}", "invalid-keyword", $"'{Shorten(key)}' is a JSON-LD keyword DTDL does not use; it is ignored");
                    continue;
                }

                if (key is not ("@id" or "@type"))
                {
                    sink.Error(_doc, $"{path}.{key}", "invalid-keyword", $"'{Shorten(key)}' is not allowed: the only JSON-LD keywords a DTDL element may have are @context, @id and @type");
                    continue;
                }
            }
            else if (ctx.Terms.TermOf(key) is { } term)
            {
                key = term;
            }
            else if (key.StartsWith("dtmi:", StringComparison.Ordinal) && DtmiSyntax.Check(key, 3) is { } problem)
            {
                sink.Error(_doc, $"{path}.{Shorten(key)}", "invalid-member", $"member name {problem}");
                continue;
            }
            else if (key.Contains(':', StringComparison.Ordinal) && !key.StartsWith("dtmi:", StringComparison.Ordinal) && version >= 3)
            {
                sink.Error(_doc, $"{path}.{Shorten(key)}", "invalid-member", $"'{Shorten(key)}' contains ':' but is not a DTMI; DTDL v{version} does not allow such member names");
                continue;
            }
            else
            {
                (undefined ??= []).Add(key);
            }

            if (!info.Props.TryAdd(key, member.Value))
            {
                sink.Error(_doc, $"{path}.{key}", "duplicate-property", $"'{key}' is given twice (as a term and as its full identifier)");
            }
        }

        // Class and co-types.
        if (!info.Props.TryGetValue("@type", out var type))
        {
            if (typeRequired)
            {
                sink.Error(_doc, path, "missing-property", $"@type is required; expected {ExpectedTypes(expected)}");
                return null;
            }
        }
        else if (!ReadTypes(type, path, expected, info))
        {
            return null;
        }

        var kindName = $"DTDL v{version} {info.Kind}";

        // Members: allowed by the class, by its co-types, or (when informally co-typed) anything but what the spec forbids.
        var allowed = DtdlTerms.PropertiesOf(info.Kind, version);
        foreach (var (key, value) in info.Props)
        {
            if (CommonMembers.Contains(key) || allowed.Contains(key))
            {
                continue;
            }

            if (key == "unit" && info.Semantic is not null)
            {
                continue;
            }

            if (key == "unit" && (info.CoTypes.Contains("AccelerationVector") || info.CoTypes.Contains("VelocityVector")))
            {
                ReadIotCentralUnit(info, value, path);
                continue;
            }

            if (FindCoTypeProperty(info, key, ctx) is { } rule)
            {
                ReadExtensionValue(info, key, value, rule, $"{path}.{key}");
                continue;
            }

            if (info.Informal)
            {
                sink.Warning(_doc, $"{path}.{key}", "unknown-property", $"'{key}' is not a property of a {kindName}; accepted because the element is informally co-typed");
                continue;
            }

            var hint = key == "unit" ? " ('unit' needs a semantic type co-type" + (version >= 3 ? $" from dtmi:dtdl:extension:quantitativeTypes;{version - 2})" : ")") : "";
            var unknownRule = undefined?.Contains(key) == true && ctx.Incomplete ? "undefined-term" : "unknown-property";
            sink.Error(_doc, $"{path}.{Shorten(key)}", unknownRule,
                $"'{Shorten(key)}' is not a property of a {kindName}{hint}; allowed: @id, @type, comment, description, displayName, {string.Join(", ", allowed)}");
        }

        foreach (var required in DtdlTerms.RequiredOf(info.Kind, version))
        {
            if (!info.Props.TryGetValue(required, out var v) || v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 0 && required != "enumValues" && required != "fields")
            {
                sink.Error(_doc, path, "missing-property", $"a {kindName} requires '{required}'");
                if (required is "name" or "@id" or "schema" or "elementSchema" or "mapKey" or "mapValue" or "valueSchema" or "enumValue")
                {
                    return null;
                }
            }
        }

        foreach (var co in DtdlTerms.CoTypes)
        {
            // Only the extension's own adjunct type: the same word as an informal co-type (its extension not in force) requires nothing.
            if (info.CoTypes.Contains(co.Term) && IsFormal(co, ctx))
            {
                foreach (var (propName, req, _) in co.Properties)
                {
                    if (req && (!info.Props.TryGetValue(propName, out var given) || given.ValueKind == JsonValueKind.Array && given.GetArrayLength() == 0))
                    {
                        sink.Error(_doc, path, "missing-property", $"an element co-typed {co.Term} requires '{propName}'");
                    }
                }

                if (co.Requires is { } companion && !info.CoTypes.Contains(companion))
                {
                    sink.Error(_doc, path + ".@type", "invalid-cotype", $"an element co-typed {co.Term} must also be co-typed {companion}");
                }
            }
        }

        if (info.Semantic is not null && (!info.Props.TryGetValue("unit", out var unitValue) || unitValue.ValueKind == JsonValueKind.Array && unitValue.GetArrayLength() == 0))
        {
            sink.Error(_doc, path, "missing-property", $"an element co-typed with semantic type {info.Semantic} requires 'unit'");
        }

        if (!ReadCommonMembers(info, path, ctx))
        {
            return null;
        }

        if (info.CoTypes.Contains("Override") && !info.CoTypes.Contains("ValueAnnotation") && IsFormal(DtdlTerms.CoTypes.First(c => c.Term == "Override"), ctx))
        {
            sink.Error(_doc, path + ".@type", "invalid-cotype", "Override may co-type a Property only when it is also co-typed ValueAnnotation");
        }

        return info;
    }

    /// <summary>Reads @type: exactly one class among <paramref name="expected"/>, and co-types the active context allows.</summary>
    private bool ReadTypes(JsonElement type, string path, Kind[] expected, ElementInfo info)
    {
        var ctx = info.Context;
        var types = new List<string>();
        if (type.ValueKind == JsonValueKind.String)
        {
            types.Add(type.GetString()!);
        }
        else if (type.ValueKind == JsonValueKind.Array && type.GetArrayLength() > 0 && type.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String))
        {
            foreach (var t in type.EnumerateArray())
            {
                types.Add(t.GetString()!);
            }
        }
        else
        {
            sink.Error(_doc, path + ".@type", "type-mismatch", $"@type must be a string or a non-empty array of strings; found {Describe(type)}");
            return false;
        }

        Kind? kind = null;
        foreach (var raw in types)
        {
            var t = ctx.Terms.TermOf(raw) ?? raw;
            if (!IsClassTerm(t, out var k))
            {
                continue;
            }

            if (!expected.Contains(k))
            {
                sink.Error(_doc, path + ".@type", "invalid-type", $"'{Shorten(raw)}' is not a class allowed here; expected {ExpectedTypes(expected)}");
                return false;
            }

            if (kind is not null && kind != k)
            {
                sink.Error(_doc, path + ".@type", "invalid-type", $"an element has exactly one class; found both {kind} and {k}");
                return false;
            }

            kind = k;
        }

        if (kind is null)
        {
            sink.Error(_doc, path + ".@type", "invalid-type", $"expected {ExpectedTypes(expected)}; found {string.Join(", ", types.Select(t => $"'{Shorten(t)}'"))}");
            return false;
        }

        info.Kind = kind.Value;
        foreach (var raw in types.Distinct(StringComparer.Ordinal))
        {
            var t = ctx.Terms.TermOf(raw) ?? raw;
            if (t != kind.Value.ToString() && !info.CoTypes.Contains(t))
            {
                ReadCoType(raw, t, info, path, ctx);
            }
        }

        return true;
    }

    /// <summary>The element classes of DTDL (the material types), as written in @type.</summary>
    private static bool IsClassTerm(string t, out Kind kind) =>
        Enum.TryParse(t, false, out kind) && t == kind.ToString() && Enum.IsDefined(kind);

    private bool ReadCommonMembers(ElementInfo info, string path, DocContext ctx)
    {
        var version = ctx.Version;
        if (info.Props.TryGetValue("@id", out var id))
        {
            var max = info.Kind == Kind.Interface ? DtmiSyntax.MaxInterfaceLength : DtmiSyntax.MaxUserLength;
            if (id.ValueKind != JsonValueKind.String)
            {
                sink.Error(_doc, path + ".@id", "type-mismatch", $"@id must be a DTMI string; found {Describe(id)}");
            }
            else if (CheckDtmi(id.GetString()!, path + ".@id", version, max))
            {
                if (DtmiSyntax.IsReserved(id.GetString()!))
                {
                    sink.Error(_doc, path + ".@id", "reserved-dtmi", $"'{id.GetString()}' uses a prefix reserved by DTDL (dtmi:dtdl:, dtmi:standard:)");
                }
                else
                {
                    info.Id = new Dtmi(id.GetString()!);
                }
            }
        }

        if (info.Props.TryGetValue("comment", out var comment))
        {
            var n = comment.ValueKind == JsonValueKind.Array ? comment.GetArrayLength() : 1;
            if (n > 1)
            {
                sink.Error(_doc, path + ".comment", "single-value", $"comment takes at most one string; found an array of {n}");
            }
            else if (n == 1 && ReadString(comment.ValueKind == JsonValueKind.Array ? comment[0] : comment, path + ".comment", version) is { } text)
            {
                if (text.Length > MaxComment)
                {
                    sink.Error(_doc, path + ".comment", "comment-length", $"comment is {text.Length} characters; max {MaxComment}");
                }
                else
                {
                    info.Comment = text;
                }
            }
        }

        if (info.Props.TryGetValue("displayName", out var dn))
        {
            info.DisplayName = ReadLocalized(dn, path + ".displayName", ctx.MaxDisplayName, "displayName-length", version);
        }

        if (info.Props.TryGetValue("description", out var desc))
        {
            info.Description = ReadLocalized(desc, path + ".description", ctx.MaxDescription, "description-length", version);
        }

        if (info.Props.ContainsKey("name") && DtdlTerms.PropertiesOf(info.Kind, version).Contains("name"))
        {
            if (One(info, "name", path) is { } nv && ReadString(nv, path + ".name", version) is { } name)
            {
                if (name.Length > ctx.MaxName)
                {
                    sink.Error(_doc, path + ".name", "name-length", $"name '{Shorten(name)}' is {name.Length} characters; DTDL v{version} allows at most {ctx.MaxName}");
                }
                else if (!NamePattern().IsMatch(name))
                {
                    sink.Error(_doc, path + ".name", "name-syntax", $"name '{Shorten(name)}' must contain only letters, digits and '_', start with a letter and end with a letter or digit");
                }
                else
                {
                    info.Name = name;
                }
            }

            if (info.Name is null)
            {
                return false;
            }
        }

        if (info.Semantic is not null && One(info, "unit", path) is { } unit)
        {
            CheckUnit(info, unit, path + ".unit", ctx);
        }

        return true;
    }

    private static string ExpectedTypes(Kind[] kinds) => string.Join(" or ", kinds.Select(k => $"\"{k}\""));

    private void ReadCoType(string raw, string t, ElementInfo info, string path, DocContext ctx)
    {
        var semantic = ctx.Version == 2 ? SemanticTables.V2 : SemanticTables.QuantitativeTypesV1;
        if (semantic.ContainsKey(t) && (ctx.Version == 2 || ctx.Has(Feature.QuantitativeTypes)))
        {
            if (ctx.Version >= 3 && (ctx.UnusableFeatures & Feature.QuantitativeTypes) != 0)
            {
                var extension = ctx.Specifiers.FirstOrDefault(s => DtdlContexts.Find(s)?.Feature == Feature.QuantitativeTypes);
                sink.Error(_doc, path + ".@type", "invalid-cotype", $"semantic type {t} comes from '{extension}', which is not an extension of DTDL v{ctx.Version}; it cannot co-type a DTDL v{ctx.Version} element");
                return;
            }

            if (!DtdlTerms.SemanticAllowedOn(info.Kind, ctx.Version))
            {
                sink.Error(_doc, path + ".@type", "invalid-cotype", $"semantic type {t} cannot co-type a DTDL v{ctx.Version} {info.Kind}");
                return;
            }

            if (info.Semantic is not null)
            {
                sink.Error(_doc, path + ".@type", "invalid-cotype", $"an element has at most one semantic type; found {info.Semantic} and {t}");
                return;
            }

            info.Semantic = t;
            info.CoTypes.Add(t);
            return;
        }

        foreach (var co in DtdlTerms.CoTypes)
        {
            if (co.Term != t || !ctx.Has(co.Feature) || (co.Feature == Feature.Mqtt && ctx.MqttVersion < co.MinFeatureVersion))
            {
                continue;
            }

            if ((ctx.UnusableFeatures & co.Feature) != 0)
            {
                var extension = ctx.Specifiers.FirstOrDefault(s => DtdlContexts.Find(s)?.Feature == co.Feature);
                var versions = extension is null ? "" : $" v{string.Join(" and v", DtdlContexts.Find(extension)!.DtdlVersions)}";
                sink.Error(_doc, path + ".@type", "invalid-cotype", $"{t} comes from '{extension}', an extension of DTDL{versions}; it cannot co-type a DTDL v{ctx.Version} element");
                return;
            }

            if (!co.On.Contains(info.Kind))
            {
                sink.Error(_doc, path + ".@type", "invalid-cotype", $"{t} can co-type only {string.Join(", ", co.On)}; not a {info.Kind}");
                return;
            }

            info.CoTypes.Add(t);
            return;
        }

        // What remains is not a co-type this element may have. A term of the language or of an extension in force
        // (a schema, a unit, an abstract class...) never is; neither is an identifier or a malformed DTMI. Unless an
        // unknown extension may have redefined it: "If the absence of such a string cannot be conclusively verified
        // because the model is contextually incomplete, the element is considered to be informally co-typed."
        if (ctx.Terms.TermToIri.ContainsKey(t) && ctx.Incomplete)
        {
            sink.Warning(_doc, path + ".@type", "informal-cotype", $"'{Shorten(raw)}' is a DTDL term, which an unknown extension in @context may define as a co-type; accepted as an informal co-type");
            info.CoTypes.Add(t);
            info.Informal = true;
            return;
        }

        if (ctx.Terms.TermToIri.ContainsKey(t))
        {
            sink.Error(_doc, path + ".@type", "invalid-cotype", $"'{Shorten(raw)}' is a DTDL term but not a type that can co-type a {info.Kind}");
            return;
        }

        if (raw.StartsWith("dtmi:", StringComparison.Ordinal) && DtmiSyntax.Check(raw, 3) is { } problem)
        {
            sink.Error(_doc, path + ".@type", "invalid-type", $"@type value {problem}");
            return;
        }

        var dtmiLike = raw.StartsWith("dtmi:", StringComparison.Ordinal);
        var iriLike = !dtmiLike && raw.Contains(':', StringComparison.Ordinal);
        if (iriLike && ctx.Version >= 3)
        {
            sink.Error(_doc, path + ".@type", "invalid-type", $"'{Shorten(raw)}' contains ':' but is not a DTMI; DTDL v{ctx.Version} does not allow such types");
            return;
        }

        if (ctx.Incomplete || (ctx.Version == 2 && !dtmiLike))
        {
            // DTDL v2: an undefined term or a non-DTMI IRI MAY co-type an element, making it "informally co-typed", which
            // lets it carry undefined members. DTDL v3/v4 allow undefined types only when the model is "contextually
            // incomplete" (it names an extension this parser does not know, and the options tolerate that).
            sink.Warning(_doc, path + ".@type", "informal-cotype", $"'{Shorten(raw)}' is not defined by DTDL v{ctx.Version} or the known extensions; accepted as an informal co-type");
            info.CoTypes.Add(t);
            info.Informal = true;
            return;
        }

        var hint = ctx.Version >= 3 && SemanticTables.QuantitativeTypesV1.ContainsKey(t)
            ? $"; semantic types need \"dtmi:dtdl:extension:quantitativeTypes;{ctx.Version - 2}\" in @context"
            : DtdlTerms.CoTypes.FirstOrDefault(co => co.Term == t) is { } def
                ? $"; {t} needs its extension ({def.Feature}{(def.MinFeatureVersion > 1 ? $" v{def.MinFeatureVersion}" : "")}) in @context"
                : "";
        sink.Error(_doc, path + ".@type", "unknown-cotype", $"'{Shorten(raw)}' is not a DTDL v{ctx.Version} type or a co-type defined by the extensions in @context{hint}");
    }

    /// <summary>True when <paramref name="co"/>'s extension is in force and usable in the element's DTDL version.</summary>
    private static bool IsFormal(CoTypeDef co, DocContext ctx) =>
        ctx.Has(co.Feature) && (ctx.UnusableFeatures & co.Feature) == 0 && (co.Feature != Feature.Mqtt || ctx.MqttVersion >= co.MinFeatureVersion);

    private static ValueRule? FindCoTypeProperty(ElementInfo info, string key, DocContext ctx)
    {
        foreach (var co in DtdlTerms.CoTypes)
        {
            if (!info.CoTypes.Contains(co.Term) || !IsFormal(co, ctx))
            {
                continue;
            }

            foreach (var (name, _, rule) in co.Properties)
            {
                if (name == key)
                {
                    return rule;
                }
            }

            if (co.Term == "Mqtt" && ctx.MqttVersion >= 2)
            {
                foreach (var (name, _, rule) in DtdlTerms.MqttV2Properties)
                {
                    if (name == key)
                    {
                        return rule;
                    }
                }
            }
        }

        return null;
    }

    private void ReadExtensionValue(ElementInfo info, string key, JsonElement raw, ValueRule rule, string path)
    {
        if (raw.ValueKind == JsonValueKind.Array)
        {
            if (raw.GetArrayLength() == 0)
            {
                // No value at all (JSON-LD); a required one is reported as missing.
                return;
            }

            if (raw.GetArrayLength() != 1)
            {
                sink.Error(_doc, path, "single-value", $"'{key}' takes exactly one value; found an array of {raw.GetArrayLength()}");
                return;
            }

            raw = raw[0];
        }

        if (rule == ValueRule.PositiveInteger)
        {
            if (ReadInteger(raw, path, info.Context.Version) is { } n)
            {
                if (n >= 1)
                {
                    info.Extensions[key] = n;
                }
                else
                {
                    sink.Error(_doc, path, "extension-value", $"'{key}' must be an integer >= 1; found {n}");
                }
            }

            return;
        }

        if (rule == ValueRule.Iri)
        {
            // overrides names a property, an identifier: a string, never a value object.
            if (ReadIdentifier(raw, path, key) is { Length: > 0 } name)
            {
                info.Extensions[key] = name;
            }
            else if (raw.ValueKind == JsonValueKind.String)
            {
                sink.Error(_doc, path, "extension-value", $"'{key}' must be a non-empty string");
            }

            return;
        }

        // A duration is an xsd:duration literal: as a value object, its @type (if any) is xsd:duration.
        var literal = rule == ValueRule.Duration ? Literal(raw, path, info.Context.Version, JsonValueKind.String, "duration") : Literal(raw, path, info.Context.Version, JsonValueKind.String, "string");
        if (literal?.GetString() is not { } s)
        {
            return;
        }

        var (ok, expected) = rule switch
        {
            ValueRule.Topic => (TopicPattern().IsMatch(s), "an MQTT topic pattern: '/'-separated labels of printable ASCII without space \" + # { } or {token}, not starting with '$'"),
            ValueRule.ServiceGroup => (ServiceGroupPattern().IsMatch(s), "a non-empty string of printable ASCII without space \" + # { } /"),
            ValueRule.Duration => (DurationPattern().IsMatch(s), "an ISO 8601 duration such as PT30S"),
            _ => (s.Length > 0, "a non-empty string"),
        };
        if (!ok)
        {
            sink.Error(_doc, path, "extension-value", $"'{key}' must be {expected}; found '{Shorten(s)}'");
            return;
        }

        info.Extensions[key] = s;
    }

    /// <summary>IoT Central v2: AccelerationVector and VelocityVector add an optional unit of AccelerationUnit / VelocityUnit.</summary>
    private void ReadIotCentralUnit(ElementInfo info, JsonElement value, string path)
    {
        var unitType = info.CoTypes.Contains("VelocityVector") ? "Velocity" : "Acceleration";
        var (name, units) = SemanticTables.V2[unitType];
        var v = value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 1 ? value[0] : value;
        var s = v.ValueKind == JsonValueKind.String ? info.Context.Terms.TermOf(v.GetString()!) ?? v.GetString() : null;
        if (s is null || !units.Contains(s))
        {
            sink.Error(_doc, $"{path}.unit", "unit-mismatch", $"expected a {name}: {string.Join(", ", units)}; found {Describe(v)}");
            return;
        }

        info.Unit = s;
    }

    private void CheckUnit(ElementInfo info, JsonElement unit, string path, DocContext ctx)
    {
        if (ReadIdentifier(unit, path, "unit") is not { } raw)
        {
            return;
        }

        var table = ctx.Version == 2 ? SemanticTables.V2 : SemanticTables.QuantitativeTypesV1;
        var (unitType, units) = table[info.Semantic!];
        if (ctx.Version >= 3 && ctx.Terms.CoreTerms.Contains(raw))
        {
            // From v3 on units come from QuantitativeTypes, whose terms cannot redefine the core's ("byte" is the schema).
            sink.Error(_doc, path, "unit-mismatch", $"'{Shorten(raw)}' is a DTDL v{ctx.Version} term, not a unit; a unit the core language also names is written as its identifier");
            return;
        }

        var u = ctx.Terms.TermOf(raw) ?? raw;
        if (!units.Contains(u))
        {
            sink.Error(_doc, path, "unit-mismatch", $"'{Shorten(raw)}' is not a {unitType}, as semantic type {info.Semantic} requires; expected one of {string.Join(", ", units)}");
            return;
        }

        info.Unit = u;
    }
}
