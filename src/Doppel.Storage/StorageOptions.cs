namespace Doppel.Storage;

/// <summary>Where and how Doppel keeps its data.</summary>
public sealed class StorageOptions
{
    /// <summary>The data folder; created when missing.</summary>
    public string DataDirectory { get; set; } = "./doppel-data";

    /// <summary>How hard SQLite flushes on commit; <see cref="SynchronousMode.Full"/> survives power loss.</summary>
    public SynchronousMode Synchronous { get; set; } = SynchronousMode.Full;

    /// <summary>The most changes the writer merges into one transaction (a single larger batch still commits whole).</summary>
    public int MaxChangesPerTransaction { get; set; } = 8192;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new ArgumentException("StorageOptions.DataDirectory must name a folder.", nameof(DataDirectory));
        }

        if (!Enum.IsDefined(Synchronous))
        {
            throw new ArgumentOutOfRangeException(nameof(Synchronous), Synchronous, "Unknown synchronous mode.");
        }

        if (MaxChangesPerTransaction < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxChangesPerTransaction), MaxChangesPerTransaction, "Must be at least 1.");
        }
    }
}
