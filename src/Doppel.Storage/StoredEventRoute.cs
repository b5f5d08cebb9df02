namespace Doppel.Storage;

/// <summary>A stored event route document.</summary>
public sealed record StoredEventRoute(string Id, string Json);
