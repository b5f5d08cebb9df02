namespace Doppel.Storage;

/// <summary>A stored event delivery endpoint document.</summary>
public sealed record StoredEndpoint(string Name, string Json);
