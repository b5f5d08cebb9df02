namespace Doppel;

/// <summary>
/// Suggests the valid name a misspelled one was meant to be, so that a file with <c>timeToFailur</c> is refused with
/// "did you mean 'timeToFailure'?" rather than silently ignored.
/// </summary>
public static class NearestName
{
    /// <summary>
    /// The candidate closest to <paramref name="name"/> (case-insensitive optimal string alignment distance), or null when
    /// none is close enough to be a plausible typo: at most a third of the name's length, and never more than 3 edits.
    /// </summary>
    public static string? Find(string name, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(candidates);
        var limit = Math.Clamp(name.Length / 3, 1, 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(name, candidate);
            if (distance <= limit && distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }
        return best;
    }

    /// <summary>A message for an unknown key: where it is, what it is, and the valid key it most resembles, or the valid keys.</summary>
    /// <param name="where">Where the key was found, e.g. <c>line.stations[0]</c> or <c>line 12</c>.</param>
    /// <param name="key">The key as written.</param>
    /// <param name="valid">The keys allowed there.</param>
    public static string UnknownKey(string where, string key, IReadOnlyCollection<string> valid)
    {
        ArgumentNullException.ThrowIfNull(valid);
        var prefix = string.IsNullOrEmpty(where) ? "" : where + ": ";
        return Find(key, valid) is { } nearest
            ? $"{prefix}unknown key '{key}'; did you mean '{nearest}'?"
            : $"{prefix}unknown key '{key}'; expected one of {string.Join(", ", valid.Select(v => $"'{v}'"))}.";
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions), ignoring case.</summary>
    internal static int Distance(string a, string b)
    {
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 2]) && char.ToUpperInvariant(a[i - 2]) == char.ToUpperInvariant(b[j - 1]))
                {
                    current[j] = Math.Min(current[j], previous2[j - 2] + 1);
                }
            }
            (previous2, previous, current) = (previous, current, previous2);
        }
        return previous[b.Length];
    }
}
