using Doppel.Storage;

namespace Doppel.Tests.Storage;

/// <summary>A fresh data folder under the temp path, deleted afterwards.</summary>
internal sealed class TempDataDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("doppel-storage-").FullName;

    public StorageOptions Options(SynchronousMode synchronous = SynchronousMode.Full) =>
        new() { DataDirectory = Path, Synchronous = synchronous };

    public Task<SqliteTwinStore> OpenAsync(SynchronousMode synchronous = SynchronousMode.Full) =>
        SqliteTwinStore.OpenAsync(Options(synchronous));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort; a leftover temp folder is not a test failure.
        }
    }
}
