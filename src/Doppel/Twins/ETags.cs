namespace Doppel.Twins;

/// <summary>Weak entity tags in ADT's form, <c>W/"guid"</c>, and If-Match evaluation.</summary>
public static class ETags
{
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
