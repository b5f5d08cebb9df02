using System.Text.Json;

namespace Doppel.Modeling;

/// <summary>A resolved DTDL Interface: its own and inherited contents, its bases, its source document.</summary>
public sealed class InterfaceModel
{
    public required Dtmi Id { get; init; }

    /// <summary>2, 3 or 4 (from @context).</summary>
    public required int DtdlVersion { get; init; }

    /// <summary>Direct bases, in declaration order.</summary>
    public IReadOnlyList<Dtmi> Extends { get; init; } = [];

    /// <summary>Every ancestor (transitively), excluding this interface.</summary>
    public IReadOnlySet<Dtmi> Ancestors { get; init; } = new HashSet<Dtmi>();

    public LocalizedText DisplayName { get; init; } = LocalizedText.Empty;

    public LocalizedText Description { get; init; } = LocalizedText.Empty;

    public string? Comment { get; init; }

    /// <summary>The @context extensions in force, e.g. "dtmi:dtdl:extension:quantitativeTypes;1".</summary>
    public IReadOnlyList<Dtmi> Extensions { get; init; } = [];

    /// <summary>All contents by name, inherited ones included.</summary>
    public required IReadOnlyDictionary<string, Content> Contents { get; init; }

    /// <summary>Interface-level <c>schemas</c> declared here.</summary>
    public IReadOnlyList<Schema> Schemas { get; init; } = [];

    /// <summary>Co-types of the Interface itself beyond "Interface", e.g. "Mqtt".</summary>
    public IReadOnlyList<string> CoTypes { get; init; } = [];

    /// <summary>Extension-defined properties of the Interface (e.g. MQTT's payloadFormat) by term.</summary>
    public IReadOnlyDictionary<string, object?> ExtensionProperties { get; init; } = new Dictionary<string, object?>();

    /// <summary>The original JSON document, as uploaded.</summary>
    public required JsonElement Document { get; init; }

    public IEnumerable<PropertyDef> Properties => Contents.Values.OfType<PropertyDef>();

    public IEnumerable<TelemetryDef> Telemetries => Contents.Values.OfType<TelemetryDef>();

    public IEnumerable<CommandDef> Commands => Contents.Values.OfType<CommandDef>();

    public IEnumerable<RelationshipDef> Relationships => Contents.Values.OfType<RelationshipDef>();

    public IEnumerable<ComponentDef> Components => Contents.Values.OfType<ComponentDef>();

    /// <summary>True when this interface is <paramref name="other"/> or extends it, directly or not.</summary>
    public bool IsA(Dtmi other) => Id == other || Ancestors.Contains(other);
}
