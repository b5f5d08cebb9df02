namespace Doppel.Storage.Internal;

/// <summary>
/// An exclusive lock on the data folder, held as an open lock file. On Linux and macOS .NET takes
/// <c>flock(LOCK_EX)</c> for <see cref="FileShare.None"/>, on Windows a share-mode lock; the OS releases
/// either when the process dies, so a stale lock file after kill -9 does not block the next start.
/// </summary>
internal sealed class DirectoryLock : IDisposable
{
    public const string FileName = "doppel.lock";

    private readonly FileStream _stream;

    private DirectoryLock(FileStream stream) => _stream = stream;

    public static DirectoryLock Acquire(string directory)
    {
        var path = Path.Combine(directory, FileName);
        try
        {
            return new DirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
        {
            throw new DataDirectoryInUseException(directory, e);
        }
    }

    public void Dispose() => _stream.Dispose();
}
