namespace Doppel.Twins.Internal;

/// <summary>RFC 6901 JSON Pointers: validation, splitting with ~0/~1 unescaping, and escaping.</summary>
internal static class JsonPointer
{
    public static bool IsValid(string path)
    {
        if (path.Length == 0)
        {
            return true;
        }

        if (path[0] != '/')
        {
            return false;
        }

        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '~' && (i + 1 >= path.Length || path[i + 1] is not ('0' or '1')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The unescaped reference tokens of a valid pointer ("" has none).</summary>
    public static string[] Split(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        var tokens = path[1..].Split('/');
        for (var i = 0; i < tokens.Length; i++)
        {
            if (tokens[i].Contains('~', StringComparison.Ordinal))
            {
                tokens[i] = tokens[i].Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            }
        }

        return tokens;
    }

    public static string Escape(string token) =>
        token.Contains('~', StringComparison.Ordinal) || token.Contains('/', StringComparison.Ordinal)
            ? token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)
            : token;
}
