using System.Text.Json.Nodes;

namespace Doppel.Packs;

/// <summary>What a sample holds: model documents (JSON), twins (with <c>$dtId</c>) and relationships (with <c>$sourceId</c> and <c>$relationshipId</c>).</summary>
public sealed record SampleContent(IReadOnlyList<string> Models, IReadOnlyList<JsonObject> Twins, IReadOnlyList<JsonObject> Relationships);
