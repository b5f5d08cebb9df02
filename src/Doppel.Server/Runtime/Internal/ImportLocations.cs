namespace Doppel.Server.Runtime.Internal;

/// <summary>Where an import job reads its input (a local path, a file:// URI or an http(s) URL) and writes its log (a local path or file:// URI).</summary>
internal static class ImportLocations
{
    private static readonly HttpClient Http = new();

    public static Result<Uri> Input(string value)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "file")
        {
            return Result<Uri>.Ok(uri);
        }
        return Path.IsPathFullyQualified(value)
            ? Result<Uri>.Ok(new Uri(value))
            : Result<Uri>.Fail("InvalidArgument", $"inputBlobUri '{value}' must be an absolute local path, a file:// URI or an http(s) URL on the server's machine.");
    }

    public static Result<string> Output(string value)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.IsFile)
        {
            return Result<string>.Ok(uri.LocalPath);
        }
        return Path.IsPathFullyQualified(value)
            ? Result<string>.Ok(value)
            : Result<string>.Fail("InvalidArgument", $"outputBlobUri '{value}' must be an absolute local path or a file:// URI on the server's machine.");
    }

    public static async Task<Stream> OpenInputAsync(Uri input, CancellationToken ct) =>
        input.IsFile
            ? new FileStream(input.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: false)
            : await Http.GetStreamAsync(input, ct);
}
