using System.Text.Json.Nodes;

namespace Doppel.Query;

/// <summary>The twin graph as the query engine reads it; implemented by the twin store.</summary>
public interface IQuerySource
{
    /// <summary>
    /// ADT-shaped twin documents (<c>$dtId</c>, <c>$etag</c>, properties at the root, <c>$metadata</c>) ordered by <c>$dtId</c>
    /// (ordinal), starting strictly after <paramref name="afterDtId"/> (from the first twin when null).
    /// The engine may return the documents as result rows, so they must not be mutated afterwards.
    /// </summary>
    IEnumerable<JsonObject> TwinsAfter(string? afterDtId);

    /// <summary>The model itself and every model that extends it, directly or not; empty when unknown.</summary>
    IReadOnlySet<string> ModelAndSubtypes(string dtmi);

    /// <summary>One twin document, or null; the default scans, so sources should override it.</summary>
    JsonObject? Twin(string dtId)
    {
        foreach (var twin in TwinsAfter(null))
        {
            if (twin["$dtId"] is JsonValue id && id.TryGetValue<string>(out var value) && value == dtId)
            {
                return twin;
            }
        }
        return null;
    }

    /// <summary>
    /// ADT-shaped relationship documents (<c>$relationshipId</c>, <c>$sourceId</c>, <c>$targetId</c>, <c>$relationshipName</c>,
    /// properties) whose source is <paramref name="dtId"/>, ordered by relationship id; none by default.
    /// </summary>
    IEnumerable<JsonObject> Relationships(string dtId) => [];

    /// <summary>Relationship documents whose target is <paramref name="dtId"/>; none by default.</summary>
    IEnumerable<JsonObject> IncomingRelationships(string dtId) => [];
}
