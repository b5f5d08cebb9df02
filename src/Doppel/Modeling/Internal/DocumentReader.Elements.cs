using System.Globalization;
using System.Text.Json;

namespace Doppel.Modeling.Internal;

/// <summary>What every element has in common, read once: class, co-types, known properties and display texts.</summary>
internal sealed class ElementInfo
{
    public Kind Kind { get; set; }

    public Dtmi? Id { get; set; }

    public string? Name { get; set; }

    public string? Comment { get; set; }

    public LocalizedText DisplayName { get; set; } = LocalizedText.Empty;

    public LocalizedText Description { get; set; } = LocalizedText.Empty;

    public List<string> CoTypes { get; } = [];

    /// <summary>The semantic type among the co-types (QuantitativeTypes, or v2's native ones), if any.</summary>
    public string? Semantic { get; set; }

    public string? Unit { get; set; }

    /// <summary>Co-typed with an undefined term that an incomplete context may define: unknown properties are tolerated.</summary>
    public bool Informal { get; set; }

    /// <summary>The element's members by DTDL term (full property IRIs folded to terms).</summary>
    public Dictionary<string, JsonElement> Props { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, object?> Extensions { get; } = new(StringComparer.Ordinal);
}

internal sealed partial class DocumentReader
{
    private ElementInfo? ReadElement(JsonElement e, string path, Kind[] expected, bool typeRequired, DocContext ctx, InterfaceDraft? draft)
    {
        _ = draft;
        var info = new ElementInfo { Kind = expected[0] };
        var version = ctx.Version;
        var propertyPrefix = "dtmi:dtdl:property:";
        var versionSuffix = ";" + version.ToString(CultureInfo.InvariantCulture);
        foreach (var member in e.EnumerateObject())
        {
            var key = member.Name;
            if (key.StartsWith(propertyPrefix, StringComparison.Ordinal) && key.EndsWith(versionSuffix, StringComparison.Ordinal))
            {
                key = key[propertyPrefix.Length..^versionSuffix.Length];
            }

            if (!info.Props.TryAdd(key, member.Value))
            {
                sink.Error(_doc, $"{path}.{key}", "duplicate-property", $"'{key}' is given twice (as a term and as its full IRI)");
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
        else
        {
            var types = new List<string>();
            if (type.ValueKind == JsonValueKind.String)
            {
                types.Add(type.GetString()!);
            }
            else if (type.ValueKind == JsonValueKind.Array && type.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String))
            {
                foreach (var t in type.EnumerateArray())
                {
                    types.Add(t.GetString()!);
                }
            }
            else
            {
                sink.Error(_doc, path + ".@type", "type-mismatch", $"expected a string or an array of strings, found {Describe(type)}");
                return null;
            }

            Kind? kind = null;
            foreach (var raw in types)
            {
                var t = NormalizeClass(raw, ctx);
                if (Enum.TryParse<Kind>(t, out var k) && expected.Contains(k) && t == k.ToString())
                {
                    if (kind is not null)
                    {
                        sink.Error(_doc, path + ".@type", "invalid-type", $"an element has exactly one class; found both {kind} and {k}");
                        return null;
                    }

                    kind = k;
                }
            }

            if (kind is null)
            {
                sink.Error(_doc, path + ".@type", "invalid-type", $"expected {ExpectedTypes(expected)}; found {string.Join(", ", types.Select(t => $"'{t}'"))}");
                return null;
            }

            info.Kind = kind.Value;
            foreach (var raw in types)
            {
                var t = NormalizeClass(raw, ctx);
                if (t != kind.Value.ToString())
                {
                    ReadCoType(t, info, path, ctx);
                }
            }
        }

        var kindName = $"DTDL v{version} {info.Kind}";

        // Properties: allowed by the class, by its co-types, or (when informally co-typed) anything.
        var allowed = DtdlTerms.PropertiesOf(info.Kind);
        foreach (var (key, value) in info.Props)
        {
            if (key is "@id" or "@type" or "comment" or "description" or "displayName" || allowed.Contains(key))
            {
                continue;
            }

            if (key == "unit" && info.Semantic is not null)
            {
                continue;
            }

            if (key == "unit" && info.CoTypes.Contains("AccelerationVector") || key == "unit" && info.CoTypes.Contains("VelocityVector"))
            {
                // IoT Central v2: these adjunct types add an optional unit of AccelerationUnit / VelocityUnit.
                var unitType = info.CoTypes.Contains("VelocityVector") ? "Velocity" : "Acceleration";
                if (value.ValueKind != JsonValueKind.String || !SemanticTables.V2[unitType].Units.Contains(value.GetString()))
                {
                    sink.Error(_doc, $"{path}.unit", "unit-mismatch", $"expected a {SemanticTables.V2[unitType].UnitType}: {string.Join(", ", SemanticTables.V2[unitType].Units)}; found {Describe(value)}");
                }
                else
                {
                    info.Unit = value.GetString();
                }

                continue;
            }

            if (FindCoTypeProperty(info, key, ctx) is { } rule)
            {
                ReadExtensionValue(info, key, value, rule, $"{path}.{key}");
                continue;
            }

            if (info.Informal || (ctx.Incomplete && key.Contains(':', StringComparison.Ordinal)))
            {
                sink.Warning(_doc, $"{path}.{key}", "unknown-property", $"'{key}' is not a property of a {kindName}; accepted because the context is incomplete");
                continue;
            }

            var hint = key == "unit" ? " ('unit' needs a semantic type co-type" + (version == 3 ? " from dtmi:dtdl:extension:quantitativeTypes;1)" : ")") : "";
            sink.Error(_doc, $"{path}.{key}", "unknown-property",
                $"'{key}' is not a property of a {kindName}{hint}; allowed: @id, @type, comment, description, displayName, {string.Join(", ", allowed)}");
        }

        foreach (var required in DtdlTerms.RequiredOf(info.Kind, version))
        {
            if (!info.Props.ContainsKey(required))
            {
                sink.Error(_doc, path, "missing-property", $"a {kindName} requires '{required}'");
                if (required is "name" or "@id" or "schema" or "elementSchema" or "mapKey" or "mapValue" or "valueSchema")
                {
                    return null;
                }
            }
        }

        foreach (var co in DtdlTerms.CoTypes)
        {
            if (info.CoTypes.Contains(co.Term))
            {
                foreach (var (propName, req, _) in co.Properties)
                {
                    if (req && !info.Props.ContainsKey(propName))
                    {
                        sink.Error(_doc, path, "missing-property", $"an element co-typed {co.Term} requires '{propName}'");
                    }
                }
            }
        }

        // Common properties.
        if (info.Props.TryGetValue("@id", out var id))
        {
            var max = info.Kind == Kind.Interface ? DtmiSyntax.MaxInterfaceLength : DtmiSyntax.MaxUserLength;
            if (id.ValueKind != JsonValueKind.String)
            {
                sink.Error(_doc, path + ".@id", "type-mismatch", $"expected a DTMI string, found {Describe(id)}");
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
            if (comment.ValueKind != JsonValueKind.String)
            {
                sink.Error(_doc, path + ".comment", "type-mismatch", $"expected a string, found {Describe(comment)}");
            }
            else if (comment.GetString()!.Length > MaxComment)
            {
                sink.Error(_doc, path + ".comment", "comment-length", $"comment is {comment.GetString()!.Length} characters; max {MaxComment}");
            }
            else
            {
                info.Comment = comment.GetString();
            }
        }

        if (info.Props.TryGetValue("displayName", out var dn))
        {
            info.DisplayName = ReadLocalized(dn, path + ".displayName", version == 2 ? 64 : 512, "displayName-length");
        }

        if (info.Props.TryGetValue("description", out var desc))
        {
            info.Description = ReadLocalized(desc, path + ".description", MaxDescription, "description-length");
        }

        if (info.Props.TryGetValue("name", out var name) && DtdlTerms.PropertiesOf(info.Kind).Contains("name"))
        {
            var max = version == 2 ? 64 : 512;
            if (name.ValueKind != JsonValueKind.String)
            {
                sink.Error(_doc, path + ".name", "type-mismatch", $"expected a string, found {Describe(name)}");
            }
            else if (name.GetString()!.Length > max)
            {
                sink.Error(_doc, path + ".name", "name-length", $"name '{Shorten(name.GetString()!)}' is {name.GetString()!.Length} characters; DTDL v{version} allows at most {max}");
            }
            else if (!NamePattern().IsMatch(name.GetString()!))
            {
                sink.Error(_doc, path + ".name", "name-syntax", $"name '{name.GetString()}' must contain only letters, digits and '_', start with a letter and end with a letter or digit");
            }
            else
            {
                info.Name = name.GetString();
            }

            if (info.Name is null)
            {
                return null;
            }
        }

        if (info.Props.TryGetValue("unit", out var unit) && info.Semantic is not null)
        {
            CheckUnit(info, unit, path + ".unit", ctx);
        }

        if (info.CoTypes.Contains("Override") && !info.CoTypes.Contains("ValueAnnotation"))
        {
            sink.Error(_doc, path + ".@type", "invalid-cotype", "Override may co-type a Property only when it is also co-typed ValueAnnotation");
        }

        return info;
    }

    private static string ExpectedTypes(Kind[] kinds) => string.Join(" or ", kinds.Select(k => $"\"{k}\""));

    private void ReadCoType(string t, ElementInfo info, string path, DocContext ctx)
    {
        var semantic = ctx.Version == 2 ? SemanticTables.V2 : SemanticTables.QuantitativeTypesV1;
        if (semantic.ContainsKey(t) && (ctx.Version == 2 || ctx.Has(Feature.QuantitativeTypes)))
        {
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

            if (!co.On.Contains(info.Kind))
            {
                sink.Error(_doc, path + ".@type", "invalid-cotype", $"{t} can co-type only {string.Join(", ", co.On)}; not a {info.Kind}");
                return;
            }

            info.CoTypes.Add(t);
            return;
        }

        var dtmiLike = t.StartsWith("dtmi:", StringComparison.Ordinal);
        if (ctx.Incomplete || (ctx.Version == 2 && !dtmiLike))
        {
            // DTDL v2 spec ("Allowance-...TypeIncludesUndefinedTermV2"): an undefined term or a non-DTMI IRI MAY co-type
            // an element, which makes it "informally co-typed" and lets it carry undefined members. DTDL v3 forbids
            // that unless the model is "contextually incomplete" (it names an extension this parser cannot check).
            sink.Warning(_doc, path + ".@type", "informal-cotype", $"'{t}' is not defined by DTDL v{ctx.Version} or the known extensions; accepted as an informal co-type");
            info.CoTypes.Add(t);
            info.Informal = true;
            return;
        }

        var hint = ctx.Version == 3 && SemanticTables.QuantitativeTypesV1.ContainsKey(t)
            ? $"; semantic types need \"dtmi:dtdl:extension:quantitativeTypes;1\" in @context"
            : DtdlTerms.CoTypes.FirstOrDefault(c => c.Term == t) is { } def
                ? $"; {t} needs its extension ({def.Feature}) in @context"
                : "";
        sink.Error(_doc, path + ".@type", "unknown-cotype", $"'{t}' is not a DTDL v{ctx.Version} type or a co-type defined by the extensions in @context{hint}");
    }

    private static ValueRule? FindCoTypeProperty(ElementInfo info, string key, DocContext ctx)
    {
        foreach (var co in DtdlTerms.CoTypes)
        {
            if (!info.CoTypes.Contains(co.Term))
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

    private void ReadExtensionValue(ElementInfo info, string key, JsonElement value, ValueRule rule, string path)
    {
        if (rule == ValueRule.PositiveInteger)
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= 1)
            {
                info.Extensions[key] = n;
            }
            else
            {
                sink.Error(_doc, path, "extension-value", $"'{key}' must be an integer >= 1; found {Describe(value)}");
            }

            return;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            sink.Error(_doc, path, "extension-value", $"'{key}' must be a string; found {Describe(value)}");
            return;
        }

        var s = value.GetString()!;
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

    private void CheckUnit(ElementInfo info, JsonElement unit, string path, DocContext ctx)
    {
        if (unit.ValueKind != JsonValueKind.String)
        {
            sink.Error(_doc, path, "type-mismatch", $"expected a unit name, found {Describe(unit)}");
            return;
        }

        var table = ctx.Version == 2 ? SemanticTables.V2 : SemanticTables.QuantitativeTypesV1;
        var (unitType, units) = table[info.Semantic!];
        var u = unit.GetString()!;
        if (!units.Contains(u))
        {
            sink.Error(_doc, path, "unit-mismatch", $"'{u}' is not a {unitType}, as semantic type {info.Semantic} requires; expected one of {string.Join(", ", units)}");
            return;
        }

        info.Unit = u;
    }

    private LocalizedText ReadLocalized(JsonElement e, string path, int max, string rule)
    {
        if (e.ValueKind == JsonValueKind.String)
        {
            var s = e.GetString()!;
            if (s.Length > max)
            {
                sink.Error(_doc, path, rule, $"text is {s.Length} characters; max {max}");
            }

            return new LocalizedText(new Dictionary<string, string>(1, StringComparer.Ordinal) { ["en"] = s });
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            sink.Error(_doc, path, "type-mismatch", $"expected a string or a language map such as {{\"en\": \"...\"}}, found {Describe(e)}");
            return LocalizedText.Empty;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in e.EnumerateObject())
        {
            if (!LanguageTag().IsMatch(m.Name))
            {
                sink.Error(_doc, $"{path}.{m.Name}", "language-tag", $"'{m.Name}' is not a BCP 47 language tag");
                continue;
            }

            if (m.Value.ValueKind != JsonValueKind.String)
            {
                sink.Error(_doc, $"{path}.{m.Name}", "type-mismatch", $"expected a string, found {Describe(m.Value)}");
                continue;
            }

            var s = m.Value.GetString()!;
            if (s.Length > max)
            {
                sink.Error(_doc, $"{path}.{m.Name}", rule, $"text is {s.Length} characters; max {max}");
            }

            values[m.Name] = s;
        }

        return new LocalizedText(values);
    }
}
