namespace Doppel.Rules;

/// <summary>How serious an alert is, most serious first (the names rules and alerts carry in JSON).</summary>
public enum AlertSeverity
{
    Critical,
    Major,
    Minor,
    Warning,
    Info,
}

/// <summary>Names of <see cref="AlertSeverity"/> as documents write them.</summary>
public static class AlertSeverities
{
    public static IReadOnlyList<string> Names { get; } = ["critical", "major", "minor", "warning", "info"];

    public static string Name(this AlertSeverity severity) => Names[(int)severity];

    /// <summary>The severity a document names, case-insensitively; null when it names none.</summary>
    public static AlertSeverity? Find(string? name)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return (AlertSeverity)i;
            }
        }
        return null;
    }
}
