using System.Text.Json.Nodes;
using Doppel.Twins;

namespace Doppel.Query;

/// <summary>
/// What one reader may see of the twin graph: twins and relationships it may not read are absent from queries (not
/// errors), and hidden properties are removed before conditions are evaluated, so they cannot be probed.
/// </summary>
/// <param name="Twin">True when the twin may be read.</param>
/// <param name="Relationship">True when the relationship may be read.</param>
/// <param name="Redact">
/// The twin without its hidden properties, or null when nothing of it is hidden; null when no property is ever hidden
/// (indexes are then used as they are).
/// </param>
public sealed record TwinVisibility(Func<TwinDocument, bool> Twin, Func<RelationshipDocument, bool> Relationship, Func<TwinDocument, JsonObject?>? Redact);
