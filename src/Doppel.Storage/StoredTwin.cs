namespace Doppel.Storage;

/// <summary>A stored digital twin document.</summary>
public sealed record StoredTwin(string Id, string Json);
