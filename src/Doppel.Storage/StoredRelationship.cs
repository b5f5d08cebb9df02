namespace Doppel.Storage;

/// <summary>A stored relationship, keyed by its source twin and relationship id.</summary>
public sealed record StoredRelationship(string SourceId, string RelationshipId, string TargetId, string Name, string Json);
