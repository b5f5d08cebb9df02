namespace Doppel.Modeling;

/// <summary>An element of an Interface's contents: Property, Telemetry, Command, Relationship or Component.</summary>
public abstract class Content
{
    public required string Name { get; init; }

    /// <summary>The element's own @id, when declared.</summary>
    public Dtmi? Id { get; init; }

    /// <summary>The interface that declares this content (differs from the owner when inherited).</summary>
    public required Dtmi DefinedIn { get; init; }

    public LocalizedText DisplayName { get; init; } = LocalizedText.Empty;

    public LocalizedText Description { get; init; } = LocalizedText.Empty;

    public string? Comment { get; init; }

    /// <summary>Co-types beyond the element's own class, e.g. "Temperature" or "Historized".</summary>
    public IReadOnlyList<string> SemanticTypes { get; init; } = [];

    /// <summary>The unit of a semantically typed Property or Telemetry, e.g. "degreeCelsius".</summary>
    public string? Unit { get; init; }

    /// <summary>Extension-defined properties (Annotation's value, Overriding's overrides, MQTT's topic, ...) by term.</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; init; } = new Dictionary<string, object?>();
}

public sealed class PropertyDef : Content
{
    public required Schema Schema { get; init; }

    public bool Writable { get; init; }
}

public sealed class TelemetryDef : Content
{
    public required Schema Schema { get; init; }
}

public sealed class CommandDef : Content
{
    public CommandPayload? Request { get; init; }

    public CommandPayload? Response { get; init; }
}

public sealed record CommandPayload(string Name, Schema Schema)
{
    public bool Nullable { get; init; }
}

public sealed class RelationshipDef : Content
{
    /// <summary>The target interface, or null when any twin may be a target.</summary>
    public Dtmi? Target { get; init; }

    public int? MinMultiplicity { get; init; }

    public int? MaxMultiplicity { get; init; }

    public bool Writable { get; init; }

    public IReadOnlyList<PropertyDef> Properties { get; init; } = [];
}

public sealed class ComponentDef : Content
{
    /// <summary>The interface this component instantiates (resolved when the set is loaded).</summary>
    public required Dtmi Schema { get; init; }
}
