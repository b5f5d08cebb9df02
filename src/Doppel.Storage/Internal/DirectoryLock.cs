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
        catch (IOException e) when (IsLockConflict(e))
        {
            throw new DataDirectoryInUseException(directory, e);
        }
    }

    public void Dispose() => _stream.Dispose();

    // Windows reports ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION; Unix reports flock's EWOULDBLOCK errno
    // (11 on Linux, 35 on macOS) as the HResult. Other I/O errors (disk, permissions) are not a lock conflict.
    private static bool IsLockConflict(IOException e) =>
        OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 32 or 33 : e.HResult is 11 or 35;
}
