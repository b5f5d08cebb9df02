namespace Doppel.Modeling.Internal;

/// <summary>DTMI syntax rules from DTMI/README.md and the "Digital Twin Model Identifier" sections of DTDL v2 and v3.</summary>
internal static class DtmiSyntax
{
    public const int MaxUserLength = 2048;
    public const int MaxInterfaceLength = 128;

    /// <summary>Returns null when <paramref name="s"/> is a valid user DTMI for <paramref name="dtdlVersion"/>, else what was expected.</summary>
    /// <remarks>Hand-written rather than a regex: it runs for every identifier and reference of every model, and the
    /// message can say which part is wrong. v2 requires a one-part version; v3 allows none or major.minor.</remarks>
    public static string? Check(string s, int dtdlVersion, int maxLength = MaxUserLength)
    {
        if (!s.StartsWith("dtmi:", StringComparison.Ordinal))
        {
            return $"'{Trim(s)}' is not a DTMI: it must start with 'dtmi:'";
        }

        if (s.Length > maxLength)
        {
            return $"DTMI is {s.Length} characters long; the limit here is {maxLength}";
        }

        var pos = 5;
        while (true)
        {
            if (pos >= s.Length)
            {
                return $"'{Trim(s)}' has an empty path segment";
            }

            if (s[pos] == '_')
            {
                return $"'{Trim(s)}' has a system segment (starting with '_'); only user DTMIs are permitted in models";
            }

            if (!char.IsAsciiLetter(s[pos]))
            {
                return $"'{Trim(s)}' has a path segment starting with '{s[pos]}'; segments must start with a letter";
            }

            while (pos < s.Length && (char.IsAsciiLetterOrDigit(s[pos]) || s[pos] == '_'))
            {
                pos++;
            }

            if (s[pos - 1] == '_')
            {
                return $"'{Trim(s)}' has a path segment ending with '_'; segments must end with a letter or digit";
            }

            if (pos == s.Length)
            {
                return dtdlVersion == 2 ? $"'{Trim(s)}' has no version; DTDL v2 requires ';<version>'" : null;
            }

            if (s[pos] == ':')
            {
                pos++;
                continue;
            }

            if (s[pos] == ';')
            {
                break;
            }

            return $"'{Trim(s)}' contains '{s[pos]}'; path segments may contain only letters, digits and '_'";
        }

        pos++;
        var major = CountDigits(s, pos);
        if (major == 0 || s[pos] == '0' || major > 9)
        {
            return $"'{Trim(s)}' has an invalid version; expected 1 to 9 digits not starting with 0";
        }

        pos += major;
        if (pos == s.Length)
        {
            return null;
        }

        if (s[pos] != '.')
        {
            return $"'{Trim(s)}' has an invalid character '{s[pos]}' in its version";
        }

        if (dtdlVersion == 2)
        {
            return $"'{Trim(s)}' has a two-part version; DTDL v2 allows only an integer version";
        }

        pos++;
        var minor = CountDigits(s, pos);
        if (minor == 0 || s[pos] == '0' || minor > 6 || pos + minor != s.Length)
        {
            return $"'{Trim(s)}' has an invalid minor version; expected 1 to 6 digits not starting with 0";
        }

        return null;
    }

    /// <summary>Identifiers under these prefixes belong to the language (DTDL v3 "reserved by the DTDL language").</summary>
    public static bool IsReserved(string s) =>
        s.StartsWith("dtmi:dtdl:", StringComparison.Ordinal) || s.StartsWith("dtmi:standard:", StringComparison.Ordinal);

    private static int CountDigits(string s, int pos)
    {
        var n = 0;
        while (pos + n < s.Length && char.IsAsciiDigit(s[pos + n]))
        {
            n++;
        }

        return n;
    }

    private static string Trim(string s) => s.Length <= 80 ? s : s[..77] + "...";
}
