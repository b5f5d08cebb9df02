namespace Doppel.Packs.Mobility.Views.Internal;

/// <summary>Writes an output file whole or not at all (a temporary file beside it, then a rename), and names the file in any failure.</summary>
internal static class Files
{
    public static Result<string> Write(string path, Action<Stream> write)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return Result<string>.Fail("InvalidPath", $"'{path}' is not a file path: {e.Message}");
        }
        var folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder))
        {
            return Result<string>.Fail("InvalidPath", $"Cannot write {path}: the folder {folder ?? full} does not exist.");
        }
        if (Directory.Exists(full))
        {
            return Result<string>.Fail("InvalidPath", $"Cannot write {path}: it is a folder.");
        }
        var temporary = full + ".tmp-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
            }
            File.Move(temporary, full, overwrite: true);
            return Result<string>.Ok(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            return Result<string>.Fail("WriteFailed", $"Cannot write {path}: {e.Message}");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The failure reported is the write's; a temporary file left behind says nothing more.
        }
    }
}
