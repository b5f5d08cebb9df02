using System.Text.Json;

namespace Doppel.Modeling.Internal;

/// <summary>
/// JSON-LD value forms (DTDL "Representational literal" and "Localizable string"): a single value may be written as a
/// one-element array or as a value object <c>{"@value": …, "@type": …}</c>; texts as strings, language maps or arrays of
/// language-tagged value objects.
/// </summary>
internal sealed partial class DocumentReader
{
    /// <summary>The single value of a member that takes one value, unwrapping a one-element array; null when absent or in error.</summary>
    private JsonElement? One(ElementInfo info, string term, string path)
    {
        if (!info.Props.TryGetValue(term, out var v))
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            return v;
        }

        var n = v.GetArrayLength();
        if (n <= 1)
        {
            // JSON-LD: an empty array is no value at all; a one-element array is its element.
            return n == 1 ? v[0] : null;
        }

        sink.Error(_doc, $"{path}.{term}", "single-value", $"'{term}' takes exactly one value; found an array of {n}");
        return null;
    }

    /// <summary>A representational string: a string, or a value object whose @value is a string (and @type, if any, xsd:string).</summary>
    private string? ReadString(JsonElement v, string path, int version) =>
        Literal(v, path, version, JsonValueKind.String, "string") is { } e ? e.GetString() : null;

    /// <summary>
    /// A member whose value is an identifier or a term (target, commandType, unit): a JSON string. A value object is a
    /// literal, not an identifier, so it is refused.
    /// </summary>
    private string? ReadIdentifier(JsonElement v, string path, string member)
    {
        if (v.ValueKind == JsonValueKind.String)
        {
            return v.GetString();
        }

        sink.Error(_doc, path, "type-mismatch", v.ValueKind == JsonValueKind.Object && v.TryGetProperty("@value", out _)
            ? $"'{member}' takes an identifier or a term as a string; a value object is a literal"
            : $"'{member}' takes an identifier or a term as a string; found {Describe(v)}");
        return null;
    }

    /// <summary>A representational integer (4 bytes): a number, or a value object whose @value is one (and @type, if any, xsd:integer).</summary>
    private int? ReadInteger(JsonElement v, string path, int version)
    {
        if (Literal(v, path, version, JsonValueKind.Number, "integer") is not { } e)
        {
            return null;
        }

        if (e.TryGetInt32(out var i))
        {
            return i;
        }

        sink.Error(_doc, path, "type-mismatch", $"expected an integer (4 bytes), found {Describe(e)}");
        return null;
    }

    /// <summary>A representational boolean: true/false, or a value object whose @value is one (and @type, if any, xsd:boolean).</summary>
    private bool? ReadBoolean(JsonElement v, string path, int version)
    {
        if (Literal(v, path, version, JsonValueKind.True, "boolean") is not { } e)
        {
            return null;
        }

        return e.GetBoolean();
    }

    private JsonElement? Literal(JsonElement v, string path, int version, JsonValueKind kind, string xsd)
    {
        static bool Is(JsonElement e, JsonValueKind kind) =>
            kind == JsonValueKind.True ? e.ValueKind is JsonValueKind.True or JsonValueKind.False : e.ValueKind == kind;

        if (Is(v, kind))
        {
            return v;
        }

        if (v.ValueKind != JsonValueKind.Object)
        {
            sink.Error(_doc, path, "type-mismatch", $"expected a{(xsd == "integer" ? "n" : "")} {xsd}, found {Describe(v)}");
            return null;
        }

        JsonElement? value = null;
        foreach (var m in v.EnumerateObject())
        {
            switch (m.Name)
            {
                case "@value":
                    value = m.Value;
                    break;
                case "@type":
                    if (m.Value.ValueKind != JsonValueKind.String || m.Value.GetString() != "xsd:" + xsd && m.Value.GetString() != "http://www.w3.org/2001/XMLSchema#" + xsd)
                    {
                        sink.Error(_doc, path + ".@type", "value-object", $"a value object's @type here must be \"xsd:{xsd}\"; found {Describe(m.Value)}");
                        return null;
                    }

                    break;
                case "@id" or "@context" or "@graph":
                    sink.Error(_doc, $"{path}.{m.Name}", "value-object", $"a value object MUST NOT have {m.Name}");
                    return null;
                case var keyword when version == 2 && keyword.StartsWith('@'):
                    // DTDL v2 only discourages other keywords in a value object ("SHOULD NOT"); v3 and v4 forbid them.
                    sink.Warning(_doc, $"{path}.{m.Name}", "value-object", $"'{Shorten(m.Name)}' in a value object is discouraged; it is ignored");
                    break;
                default:
                    sink.Error(_doc, $"{path}.{m.Name}", "value-object", $"a value object has only @value and @type{(version == 2 ? " (and other JSON-LD keywords)" : "")}; found '{Shorten(m.Name)}'");
                    return null;
            }
        }

        if (value is not { } inner)
        {
            sink.Error(_doc, path, "value-object", $"expected a{(xsd == "integer" ? "n" : "")} {xsd} or a value object with \"@value\"; the object has no @value");
            return null;
        }

        if (!Is(inner, kind))
        {
            sink.Error(_doc, path + ".@value", "type-mismatch", $"expected a{(xsd == "integer" ? "n" : "")} {xsd}, found {Describe(inner)}");
            return null;
        }

        return inner;
    }

    /// <summary>
    /// A localizable string: a string (the default language, stored as "en"), a language map, or an array of strings and
    /// language-tagged value objects with at most one default-language value.
    /// </summary>
    private LocalizedText ReadLocalized(JsonElement e, string path, int max, string rule, int version)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);

        void Add(string language, string text, string p)
        {
            if (text.Length > max)
            {
                sink.Error(_doc, p, rule, $"text is {text.Length} characters; max {max}");
            }

            values[language] = text;
        }

        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                Add("en", e.GetString()!, path);
                break;
            case JsonValueKind.Object:
                foreach (var m in e.EnumerateObject())
                {
                    if (!LanguageTag().IsMatch(m.Name))
                    {
                        sink.Error(_doc, $"{path}.{m.Name}", "language-tag", $"'{Shorten(m.Name)}' is not a language code (such as \"en\", \"en-US\" or \"zh-Hant-TW\")");
                    }
                    else if (m.Value.ValueKind != JsonValueKind.String)
                    {
                        sink.Error(_doc, $"{path}.{m.Name}", "type-mismatch", $"expected a string, found {Describe(m.Value)}");
                    }
                    else
                    {
                        Add(m.Name, m.Value.GetString()!, $"{path}.{m.Name}");
                    }
                }

                break;
            case JsonValueKind.Array:
                ReadLocalizedArray(e, path, Add, version);
                break;
            default:
                sink.Error(_doc, path, "type-mismatch", $"expected a string, a language map such as {{\"en\": \"...\"}} or an array of language-tagged values; found {Describe(e)}");
                break;
        }

        return new LocalizedText(values);
    }

    private void ReadLocalizedArray(JsonElement e, string path, Action<string, string, string> add, int version)
    {
        var defaults = 0;
        var languages = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            var p = $"{path}[{i++}]";
            if (item.ValueKind == JsonValueKind.String)
            {
                defaults++;
                add("en", item.GetString()!, p);
                continue;
            }

            if (item.ValueKind != JsonValueKind.Object)
            {
                sink.Error(_doc, p, "type-mismatch", $"expected a string or a language-tagged value such as {{\"@value\": \"...\", \"@language\": \"en\"}}; found {Describe(item)}");
                continue;
            }

            string? text = null;
            string? language = null;
            var ok = true;
            foreach (var m in item.EnumerateObject())
            {
                if (m.Name == "@value" && m.Value.ValueKind == JsonValueKind.String)
                {
                    text = m.Value.GetString();
                }
                else if (m.Name == "@language" && m.Value.ValueKind == JsonValueKind.String && LanguageTag().IsMatch(m.Value.GetString()!))
                {
                    language = m.Value.GetString();
                }
                else if (version == 2 && m.Name.StartsWith('@') && m.Name is not ("@value" or "@language" or "@id" or "@context" or "@graph"))
                {
                    // DTDL v2 only discourages other keywords in a language-tagged value ("SHOULD NOT"); v3 and v4 forbid them.
                    sink.Warning(_doc, $"{p}.{m.Name}", "localized-value", $"'{Shorten(m.Name)}' in a language-tagged value is discouraged; it is ignored");
                }
                else
                {
                    sink.Error(_doc, $"{p}.{m.Name}", "localized-value", m.Name is "@value" or "@language"
                        ? $"{m.Name} must be {(m.Name == "@value" ? "a string" : "a language code such as \"en-US\"")}; found {Describe(m.Value)}"
                        : $"a language-tagged value has only @value and @language; found '{Shorten(m.Name)}'");
                    ok = false;
                }
            }

            if (!ok)
            {
                continue;
            }

            if (text is null)
            {
                sink.Error(_doc, p, "localized-value", "a language-tagged value needs \"@value\"");
                continue;
            }

            if (language is not null && !languages.Add(language))
            {
                sink.Error(_doc, p + ".@language", "localized-value", $"language '{language}' is given twice");
                continue;
            }

            if (language is null or "en")
            {
                defaults++;
            }

            add(language ?? "en", text, p);
        }

        if (defaults > 1)
        {
            sink.Error(_doc, path, "localized-value", "at most one value may be in the default language (a plain string, a value without @language, or @language \"en\")");
        }
    }
}
