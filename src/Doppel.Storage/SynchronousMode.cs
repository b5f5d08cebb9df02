namespace Doppel.Storage;

/// <summary>SQLite's <c>PRAGMA synchronous</c> setting for the twin store (WAL mode).</summary>
public enum SynchronousMode
{
    /// <summary>The WAL is fsynced on every commit: an acknowledged write survives a process kill and a power loss.</summary>
    Full,

    /// <summary>The WAL is fsynced only at checkpoints: an acknowledged write survives a process kill but may be lost on power loss.</summary>
    Normal,
}
