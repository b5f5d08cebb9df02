namespace Doppel.Modeling;

/// <summary>A model held by <see cref="ModelCatalog"/>, with its upload time and decommission flag.</summary>
public sealed record ModelEntry(InterfaceModel Model, DateTimeOffset UploadTime, bool Decommissioned);
