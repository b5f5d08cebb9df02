namespace Doppel.Storage;

/// <summary>Where and how Doppel keeps its data.</summary>
public sealed class StorageOptions
{
    /// <summary>The data folder; created when missing.</summary>
    public string DataDirectory { get; set; } = "./doppel-data";
}
