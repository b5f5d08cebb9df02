using System.Globalization;
using System.Text.Json;

namespace Doppel.Modeling.Internal;

internal sealed partial class DocumentReader
{
    /// <summary>
    /// Reads an @context member and combines it with the parent's active context (DTDL v3/v4 "Context"): per de-versioned
    /// value the lowest, then the last, specifier wins. Returns null when a top-level element has no usable DTDL context.
    /// </summary>
    private DocContext? ReadContext(JsonElement c, string path, DocContext? parent)
    {
        var ids = new List<(string Id, string Path)>();
        if (c.ValueKind == JsonValueKind.String)
        {
            ids.Add((c.GetString()!, path));
        }
        else if (c.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in c.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    ids.Add((item.GetString()!, $"{path}[{i}]"));
                }
                else
                {
                    sink.Error(_doc, $"{path}[{i}]", "context-syntax", $"expected a context specifier (a DTMI string), found {Describe(item)}");
                }

                i++;
            }
        }
        else
        {
            sink.Error(_doc, path, "context-syntax", $"@context must be a string or an array of strings; found {Describe(c)}");
            return parent;
        }

        // The core context: its version, and whether it is the "#limitless" part (v4 limit extensions).
        int? version = null;
        var limitless = false;
        var limitsSpecified = false;
        var sawExtension = false;
        var sawIotCentral = false;
        for (var i = 0; i < ids.Count; i++)
        {
            var (id, p) = ids[i];
            if (!id.StartsWith(DtdlContexts.CorePrefix, StringComparison.Ordinal))
            {
                // DTDL v2 permits (but discourages) IoT Central's context before the DTDL one.
                sawExtension |= id != "dtmi:iotcentral:context;2";
                sawIotCentral |= id == "dtmi:iotcentral:context;2";
                continue;
            }

            if (ParseCoreSpecifier(id, p) is not { } core)
            {
                continue;
            }

            if (core.Fragment == "#limits")
            {
                if (i == 0 || ids[i - 1].Id != $"{DtdlContexts.CorePrefix}{core.Version}#limitless")
                {
                    sink.Error(_doc, p, "context-order", $"'{id}' must immediately follow \"{DtdlContexts.CorePrefix}{core.Version}#limitless\"");
                }

                limitsSpecified = true;
                continue;
            }

            // Only DTDL v2 lets IoT Central's context precede its DTDL context (Requirement-ContextDtdlPrecedesOrOnlyLessExceptionV2).
            if (sawExtension || (sawIotCentral && core.Version != 2))
            {
                sink.Error(_doc, p, "context-order", $"the DTDL context '{id}' must precede every extension context specifier");
            }

            if (core.Fragment == "#limitless")
            {
                var next = i + 1 < ids.Count ? ids[i + 1].Id : null;
                var nextIsLimits = next is not null && (next == $"{DtdlContexts.CorePrefix}{core.Version}#limits" || next == $"{DtdlContexts.CorePrefix}{core.Version}"
                    || DtdlContexts.Find(next) is { Feature: Feature.OnvifLimits });
                if (!nextIsLimits)
                {
                    sink.Error(_doc, p, "context-order", $"'{id}' must be immediately followed by \"{DtdlContexts.CorePrefix}{core.Version}#limits\", \"{DtdlContexts.CorePrefix}{core.Version}\" or a limit extension");
                }

                limitless = true;
            }
            else
            {
                limitsSpecified = true;
            }

            version = core.Version;
        }

        if (version is null && parent is null)
        {
            sink.Error(_doc, path, "missing-context", "a top-level Interface's @context must include \"dtmi:dtdl:context;4\", \"dtmi:dtdl:context;3\" or \"dtmi:dtdl:context;2\"");
            return null;
        }

        var dtdlVersion = version ?? parent!.Version;
        var isLimitless = version is null ? parent!.Limitless : limitless && !limitsSpecified;

        // Extensions, combined with the parent's: a later or lower specifier replaces one with the same de-versioned value.
        var active = new List<string>(parent?.Specifiers ?? []);
        foreach (var (id, p) in ids)
        {
            if (id.StartsWith(DtdlContexts.CorePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (DtmiSyntax.Check(id, dtdlVersion) is { } problem)
            {
                sink.Error(_doc, p, "context-syntax", $"context specifier {problem}");
                continue;
            }

            if (!id.Contains(';', StringComparison.Ordinal))
            {
                sink.Error(_doc, p, "context-syntax", $"context specifier '{id}' must have a version");
                continue;
            }

            var deversioned = id[..id.IndexOf(';', StringComparison.Ordinal)];
            active.RemoveAll(a => a.AsSpan(0, a.IndexOf(';', StringComparison.Ordinal)).SequenceEqual(deversioned));
            active.Add(id);
        }

        var known = new List<KnownContext>();
        var features = Feature.None;
        var unusable = Feature.None;
        var mqtt = 0;
        var incomplete = false;
        var extensions = new List<Dtmi>();
        foreach (var id in active)
        {
            var p = ids.FirstOrDefault(x => x.Id == id).Path ?? path;
            extensions.Add(new Dtmi(id));
            if (DtdlContexts.Find(id) is { } ext)
            {
                if (!ext.DtdlVersions.Contains(dtdlVersion))
                {
                    // A known extension of other DTDL versions (Historization v1 under v2, IoT Central under v3) is defined, so
                    // the model is complete; what the version cannot use are its adjunct types (ReadCoType refuses them).
                    if (ext.Feature == Feature.OnvifLimits)
                    {
                        sink.Error(_doc, p, "extension-version", $"'{id}' cannot be used with DTDL v{dtdlVersion}; it is a limit extension of DTDL v{string.Join(" and v", ext.DtdlVersions)}");
                        continue;
                    }

                    sink.Warning(_doc, p, "extension-version", $"'{id}' is an extension of DTDL v{string.Join(" and v", ext.DtdlVersions)}; its adjunct types cannot co-type DTDL v{dtdlVersion} elements");
                    unusable |= ext.Feature;
                }

                if (ext.Feature == Feature.OnvifLimits)
                {
                    if (!options.LimitExtensions.Contains(id))
                    {
                        sink.Error(_doc, p, "limit-extension", $"'{id}' is a limit extension, used only when asked for (ModelParserOptions.LimitExtensions; doppel models validate --limit-extension {id})");
                        continue;
                    }

                    var index = ids.FindIndex(x => x.Id == id);
                    if (index >= 0 && (index == 0 || ids[index - 1].Id != $"{DtdlContexts.CorePrefix}{dtdlVersion}#limitless"))
                    {
                        sink.Error(_doc, p, "context-order", $"the limit extension '{id}' must immediately follow \"{DtdlContexts.CorePrefix}{dtdlVersion}#limitless\"");
                        continue;
                    }
                }

                known.Add(ext);
                features |= ext.Feature;
                if (ext.Feature == Feature.Mqtt)
                {
                    mqtt = ext.FeatureVersion;
                }

                continue;
            }

            var deversioned = id[..id.IndexOf(';', StringComparison.Ordinal)];
            var versions = DtdlContexts.Versions(deversioned).Where(v => v.DtdlVersions.Contains(dtdlVersion)).Select(v => v.Id).ToList();
            var usable = string.Join(", ", DtdlContexts.Extensions.Where(e => e.DtdlVersions.Contains(dtdlVersion)).Select(e => e.Id));
            sink.ErrorOrWarning(options.AllowUnknownExtensions ?? dtdlVersion == 2, _doc, p, "unknown-extension", versions.Count > 0
                ? $"'{id}' is not a version of this extension usable with DTDL v{dtdlVersion}; known: {string.Join(", ", versions)}"
                : $"'{id}' is not an extension this parser knows for DTDL v{dtdlVersion}; known: {usable}");
            incomplete = true;
        }

        return new DocContext
        {
            Version = dtdlVersion,
            Features = features,
            UnusableFeatures = unusable,
            MqttVersion = mqtt,
            Incomplete = incomplete,
            Extensions = extensions,
            Specifiers = active,
            Limitless = isLimitless,
            Terms = DtdlContexts.Terms(dtdlVersion, known),
        };
    }

    /// <summary>"dtmi:dtdl:context;N" with an optional "#limitless"/"#limits" fragment (DTDL v4 only); null after reporting an error.</summary>
    private (int Version, string Fragment)? ParseCoreSpecifier(string id, string path)
    {
        var rest = id.AsSpan(DtdlContexts.CorePrefix.Length);
        var hash = rest.IndexOf('#');
        var fragment = hash >= 0 ? rest[hash..].ToString() : "";
        var number = hash >= 0 ? rest[..hash] : rest;
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || number.Length == 0 || number[0] == '0')
        {
            sink.Error(_doc, path, number.Contains('.') ? "unsupported-version" : "context-syntax",
                $"'{id}' is not a DTDL context specifier this parser knows; expected \"dtmi:dtdl:context;4\", \"dtmi:dtdl:context;3\" or \"dtmi:dtdl:context;2\"");
            return null;
        }

        if (version is < 2 or > 4)
        {
            sink.Error(_doc, path, "unsupported-version", $"'{id}' is not supported; expected \"dtmi:dtdl:context;4\", \"dtmi:dtdl:context;3\" or \"dtmi:dtdl:context;2\"");
            return null;
        }

        if (fragment.Length > 0 && (version < 4 || fragment is not ("#limitless" or "#limits")))
        {
            sink.Error(_doc, path, "context-syntax", $"'{id}': only DTDL v4 has context fragments, \"#limitless\" and \"#limits\"");
            return null;
        }

        return (version, fragment);
    }
}
