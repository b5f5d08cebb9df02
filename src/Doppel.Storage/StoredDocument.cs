namespace Doppel.Storage;

/// <summary>A named configuration document (an ingest mapping, for instance) of some kind, stored as JSON.</summary>
public sealed record StoredDocument(string Kind, string Id, string Json);
