namespace Doppel.Storage;

/// <summary>Everything in the store, read in one consistent transaction at start-up.</summary>
public sealed record StoreSnapshot(
    IReadOnlyList<StoredModel> Models,
    IReadOnlyList<StoredTwin> Twins,
    IReadOnlyList<StoredRelationship> Relationships,
    IReadOnlyList<StoredEventRoute> EventRoutes,
    IReadOnlyList<StoredDocument> Documents,
    IReadOnlyList<StoredEndpoint> Endpoints);
