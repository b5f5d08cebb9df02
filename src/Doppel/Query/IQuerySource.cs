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
}
