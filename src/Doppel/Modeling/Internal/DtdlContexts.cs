using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;

namespace Doppel.Modeling.Internal;

/// <summary>A context specifier this parser understands: the DTDL core of one version, or a language extension.</summary>
/// <param name="Id">The specifier, e.g. "dtmi:dtdl:extension:historization;2".</param>
/// <param name="Feature">The extension's feature (None for the core contexts).</param>
/// <param name="FeatureVersion">The extension's own version (the DTDL version for the core contexts).</param>
/// <param name="DtdlVersions">The DTDL versions the extension may be used with ("Feature versions" tables of the extension specs).</param>
/// <param name="Resource">The embedded context document defining its terms, or null when it defines none (limit extensions).</param>
internal sealed record KnownContext(string Id, Feature Feature, int FeatureVersion, int[] DtdlVersions, string? Resource);

/// <summary>The terms an active context defines: term to identifier and identifier to term.</summary>
internal sealed class TermTable(FrozenDictionary<string, string> termToIri, FrozenDictionary<string, string> iriToTerm, FrozenSet<string> coreTerms)
{
    /// <summary>Every term defined, by the core context or an extension in force.</summary>
    public FrozenDictionary<string, string> TermToIri { get; } = termToIri;

    public FrozenDictionary<string, string> IriToTerm { get; } = iriToTerm;

    /// <summary>The core context's terms: the specification's "Reserved strings" table.</summary>
    public FrozenSet<string> CoreTerms { get; } = coreTerms;

    /// <summary>The term a string names: itself when it is a term, the term of an identifier the context defines, else null.</summary>
    public string? TermOf(string s) => TermToIri.ContainsKey(s) ? s : IriToTerm.GetValueOrDefault(s);

    /// <summary>A term or identifier of the core language ("Reserved strings").</summary>
    public bool IsReserved(string s) => CoreTerms.Contains(s) || (IriToTerm.TryGetValue(s, out var t) && CoreTerms.Contains(t));
}

/// <summary>The context documents of DTDL v2, v3 and v4 and of the extensions (embedded, see Contexts/README.md).</summary>
internal static class DtdlContexts
{
    public const string CorePrefix = "dtmi:dtdl:context;";

    public static readonly KnownContext[] Core =
    [
        new("dtmi:dtdl:context;2", Feature.None, 2, [2], "DTDL.v2.context.json"),
        new("dtmi:dtdl:context;3", Feature.None, 3, [3], "DTDL.v3.context.json"),
        new("dtmi:dtdl:context;4", Feature.None, 4, [4], "DTDL.v4.context.json"),
    ];

    /// <summary>From the "Available ... extensions" tables of v4/DTDL.Extensions.md.</summary>
    public static readonly KnownContext[] Extensions =
    [
        new("dtmi:iotcentral:context;2", Feature.IotCentral, 2, [2], "DTDL.v2.iotcentral.context.json"),
        new("dtmi:dtdl:extension:quantitativeTypes;1", Feature.QuantitativeTypes, 1, [3], "DTDL.FeatureExtension.quantitativeTypes.v1.context.json"),
        new("dtmi:dtdl:extension:quantitativeTypes;2", Feature.QuantitativeTypes, 2, [4], "DTDL.FeatureExtension.quantitativeTypes.v2.context.json"),
        new("dtmi:dtdl:extension:historization;1", Feature.Historization, 1, [3], "DTDL.FeatureExtension.historization.v1.context.json"),
        new("dtmi:dtdl:extension:historization;2", Feature.Historization, 2, [3, 4], "DTDL.FeatureExtension.historization.v2.context.json"),
        new("dtmi:dtdl:extension:annotation;1", Feature.Annotation, 1, [3], "DTDL.FeatureExtension.annotation.v1.context.json"),
        new("dtmi:dtdl:extension:annotation;2", Feature.Annotation, 2, [3, 4], "DTDL.FeatureExtension.annotation.v2.context.json"),
        new("dtmi:dtdl:extension:overriding;1", Feature.Overriding, 1, [3], "DTDL.FeatureExtension.overriding.v1.context.json"),
        new("dtmi:dtdl:extension:overriding;2", Feature.Overriding, 2, [3, 4], "DTDL.FeatureExtension.overriding.v2.context.json"),
        new("dtmi:dtdl:extension:mqtt;1", Feature.Mqtt, 1, [3], "DTDL.FeatureExtension.mqtt.v1.context.json"),
        new("dtmi:dtdl:extension:mqtt;2", Feature.Mqtt, 2, [3, 4], "DTDL.FeatureExtension.mqtt.v2.context.json"),
        new("dtmi:dtdl:extension:mqtt;3", Feature.Mqtt, 3, [3, 4], "DTDL.FeatureExtension.mqtt.v3.context.json"),
        new("dtmi:dtdl:extension:requirement;1", Feature.Requirement, 1, [3, 4], "DTDL.FeatureExtension.requirement.v1.context.json"),

        // A limit extension (v4/DTDL.onvif.v1.md): no terms, higher limits; usable only after "dtmi:dtdl:context;4#limitless".
        new("dtmi:dtdl:limits:onvif;1", Feature.OnvifLimits, 1, [4], null),
    ];

    private static readonly FrozenDictionary<string, KnownContext> ById =
        Core.Concat(Extensions).ToFrozenDictionary(c => c.Id, StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<string, FrozenDictionary<string, string>> Documents = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, TermTable> Tables = new(StringComparer.Ordinal);

    public static KnownContext? Find(string id) => ById.GetValueOrDefault(id);

    /// <summary>Extensions whose identifier has the same de-versioned value (to say which versions exist).</summary>
    public static IEnumerable<KnownContext> Versions(string deversioned) =>
        Extensions.Where(c => c.Id.AsSpan(0, c.Id.IndexOf(';', StringComparison.Ordinal)).SequenceEqual(deversioned));

    /// <summary>The term table of DTDL <paramref name="version"/> with the given extensions in force (cached).</summary>
    public static TermTable Terms(int version, IReadOnlyList<KnownContext> extensions)
    {
        var key = version + "|" + string.Join("|", extensions.Select(e => e.Id));
        return Tables.GetOrAdd(key, _ =>
        {
            var core = Load(Core[version - 2].Resource!);
            var termToIri = new Dictionary<string, string>(core, StringComparer.Ordinal);
            // "Although extensions can add definitions to the DTDL language, they cannot remove any core language
            // definitions" (v4/DTDL.Extensions.md): a core term keeps its meaning ("byte" stays a schema under
            // QuantitativeTypes v2, whose unit "byte" is then named by its identifier); a later extension's term replaces
            // an earlier one's.
            var extensionTerms = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var extension in extensions)
            {
                if (extension.Resource is { } resource)
                {
                    foreach (var (term, iri) in Load(resource))
                    {
                        extensionTerms[term] = iri;
                    }
                }
            }

            foreach (var (term, iri) in extensionTerms)
            {
                termToIri.TryAdd(term, iri);
            }

            var iriToTerm = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (term, iri) in termToIri.Concat(extensionTerms))
            {
                // An extension's identifier names its term even where a core term of the same spelling hides the term itself.
                iriToTerm.TryAdd(iri, term);
            }

            return new TermTable(termToIri.ToFrozenDictionary(StringComparer.Ordinal), iriToTerm.ToFrozenDictionary(StringComparer.Ordinal), core.Keys.ToFrozenSet(StringComparer.Ordinal));
        });
    }

    /// <summary>Reads the term definitions of one context document: members naming a term (no ':' nor '@') with a DTMI "@id".</summary>
    private static FrozenDictionary<string, string> Load(string resource) => Documents.GetOrAdd(resource, name =>
    {
        using var stream = typeof(DtdlContexts).Assembly.GetManifestResourceStream("Doppel.Modeling.Contexts." + name)
            ?? throw new InvalidOperationException($"embedded DTDL context {name} is missing from the assembly");
        using var document = JsonDocument.Parse(stream);
        var terms = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in document.RootElement.EnumerateObject())
        {
            if (member.Name.Contains(':', StringComparison.Ordinal) || member.Name.StartsWith('@')
                || member.Value.ValueKind != JsonValueKind.Object || !member.Value.TryGetProperty("@id", out var id)
                || id.ValueKind != JsonValueKind.String || !id.GetString()!.StartsWith("dtmi:", StringComparison.Ordinal))
            {
                continue;
            }

            terms[member.Name] = id.GetString()!;
        }

        return terms.ToFrozenDictionary(StringComparer.Ordinal);
    });
}
