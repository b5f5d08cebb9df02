namespace Doppel.Packs.Foresight;

/// <summary>
/// The turbofan's names (<c>samples/engines/models.json</c>): its model and the fleet's, the telemetry channels in
/// C-MAPSS column order (the names the C-MAPSS readers and the predictors use), and the prediction properties.
/// </summary>
public static class Turbofan
{
    public const string ModelId = "dtmi:doppel:foresight:Turbofan;1";

    public const string FleetModelId = "dtmi:doppel:foresight:Fleet;1";

    /// <summary>The fleet's relationship to its engines.</summary>
    public const string EnginesRelationship = "engines";

    /// <summary>The operating settings (C-MAPSS setting1..3).</summary>
    public static IReadOnlyList<string> Settings { get; } = ["altitude", "mach", "throttle"];

    /// <summary>The 21 sensors (C-MAPSS s1..s21).</summary>
    public static IReadOnlyList<string> Sensors { get; } =
        ["t2", "t24", "t30", "t50", "p2", "p15", "p30", "nf", "nc", "epr", "ps30", "phi", "nrf", "nrc", "bpr", "farB", "htBleed", "nfDmd", "pcnfrDmd", "w31", "w32"];

    /// <summary>The 24 channels of one cycle: settings then sensors.</summary>
    public static IReadOnlyList<string> Channels { get; } = [.. Settings, .. Sensors];

    /// <summary>The integer telemetry numbering the cycle a message reports.</summary>
    public const string Cycle = "cycle";

    public const string Rul = "rul";

    public const string RulLower = "rulLower";

    public const string RulUpper = "rulUpper";

    public const string RulPredictor = "rulPredictor";
}
