using System.Text.Json;

namespace Doppel.Modeling.Internal;

/// <summary>An interface as read from its document, before <c>extends</c> and references are resolved.</summary>
internal sealed class InterfaceDraft
{
    public required Dtmi Id { get; init; }

    public required string Document { get; init; }

    public required string Path { get; init; }

    public required DocContext Context { get; init; }

    public required JsonElement Element { get; init; }

    public List<(Dtmi Id, string Path)> Extends { get; } = [];

    /// <summary>The DTDL version of each Component, which an inner @context may make earlier than the Interface's.</summary>
    public Dictionary<ComponentDef, int> ComponentVersions { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The values written in extends, repetitions included (Extends holds each Interface once).</summary>
    public int ExtendsValues { get; set; }

    public List<(Content Content, string Path)> Contents { get; } = [];

    public List<Schema> Schemas { get; } = [];

    public LocalizedText DisplayName { get; set; } = LocalizedText.Empty;

    public LocalizedText Description { get; set; } = LocalizedText.Empty;

    public string? Comment { get; set; }

    public IReadOnlyList<string> CoTypes { get; set; } = [];

    public IReadOnlyDictionary<string, object?> ExtensionProperties { get; set; } = new Dictionary<string, object?>();

    /// <summary>Elements under <c>contents</c>, counted for the v3 limit of 100,000 per interface hierarchy.</summary>
    public int ElementCount { get; set; }
}
