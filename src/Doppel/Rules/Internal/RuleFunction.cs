namespace Doppel.Rules.Internal;

/// <summary>The functions a rule condition adds to the query language, over the telemetry a twin received.</summary>
internal enum RuleFunctionKind
{
    Avg,
    Min,
    Max,
    Sum,
    Count,
    Rate,
    Absent,
}

/// <summary>
/// One call of a rule function in a condition: <c>AVG(temperature, '10m')</c>, <c>RATE(pressure, '5m', '1m')</c>,
/// <c>ABSENT('5m')</c> (no telemetry at all) or <c>ABSENT(temperature, '5m')</c>. <see cref="Slot"/> is the name its
/// value is bound to in the twin's document when the condition is evaluated.
/// </summary>
internal sealed record RuleFunction(RuleFunctionKind Kind, string? Name, TimeSpan Window, TimeSpan Per, string Slot)
{
    public static RuleFunctionKind? KindOf(string name) => name.ToUpperInvariant() switch
    {
        "AVG" => RuleFunctionKind.Avg,
        "MIN" => RuleFunctionKind.Min,
        "MAX" => RuleFunctionKind.Max,
        "SUM" => RuleFunctionKind.Sum,
        "COUNT" => RuleFunctionKind.Count,
        "RATE" => RuleFunctionKind.Rate,
        "ABSENT" => RuleFunctionKind.Absent,
        _ => null,
    };

    /// <summary>True when the function keeps a window of the named telemetry's points.</summary>
    public bool NeedsSeries => Kind != RuleFunctionKind.Absent;

    /// <summary>The series it reads: one per name and window, shared by the functions that read the same.</summary>
    public string SeriesKey { get; } = Name + "|" + Window.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
