namespace Doppel.Twins;

/// <summary>Weak entity tags in ADT's form, <c>W/"guid"</c>, and If-Match evaluation.</summary>
public static class ETags
{
    private const int RandomBufferBytes = 4096;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_randomUsed;

    /// <summary>A weak etag for a new random (version 4) GUID.</summary>
    /// <remarks>
    /// Random bytes are drawn from the system's secure generator 4 KB at a time, per thread: <see cref="Guid.NewGuid"/> makes
    /// one system call per GUID, which was over a third of a bulk import's validation time.
    /// </remarks>
    public static string New()
    {
        var buffer = t_random;
        if (buffer is null || t_randomUsed > RandomBufferBytes - 16)
        {
            buffer = t_random ??= new byte[RandomBufferBytes];
            System.Security.Cryptography.RandomNumberGenerator.Fill(buffer);
            t_randomUsed = 0;
        }

        Span<byte> bytes = stackalloc byte[16];
        buffer.AsSpan(t_randomUsed, 16).CopyTo(bytes);
        t_randomUsed += 16;
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return New(new Guid(bytes));
    }

    /// <summary>A weak etag for <paramref name="g"/>.</summary>
    public static string New(Guid g) => $"W/\"{g:D}\"";

    /// <summary>True when <paramref name="ifMatch"/> is absent, "*", or (weakly) equal to <paramref name="currentEtag"/>; a comma-separated list matches if any member does.</summary>
    public static bool IfMatchSatisfied(string? ifMatch, string currentEtag)
    {
        if (ifMatch is null)
        {
            return true;
        }

        var current = Opaque(currentEtag);
        foreach (var range in ifMatch.AsSpan().Split(','))
        {
            var candidate = ifMatch.AsSpan(range).Trim();
            if (candidate.SequenceEqual("*") || Opaque(candidate).SequenceEqual(current))
            {
                return true;
            }
        }

        return false;
    }

    private static ReadOnlySpan<char> Opaque(ReadOnlySpan<char> tag)
    {
        tag = tag.Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal))
        {
            tag = tag[2..];
        }

        if (tag.Length >= 2 && tag[0] == '"' && tag[^1] == '"')
        {
            tag = tag[1..^1];
        }

        return tag;
    }
}
