namespace Doppel.Storage;

/// <summary>A stored DTDL model document.</summary>
public sealed record StoredModel(string Id, string Json, DateTimeOffset UploadTime, bool Decommissioned);
