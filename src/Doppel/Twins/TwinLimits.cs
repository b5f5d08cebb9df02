namespace Doppel.Twins;

/// <summary>Size limits enforced on twins and relationships; defaults are ADT's service limits.</summary>
public sealed record TwinLimits
{
    /// <summary>Default limits (ADT's).</summary>
    public static readonly TwinLimits Default = new();

    /// <summary>Maximum size of a twin's (or relationship's) properties as UTF-8 JSON.</summary>
    public int MaxTwinBytes { get; init; } = 32 * 1024;

    /// <summary>Maximum size of one string value in UTF-8.</summary>
    public int MaxStringBytes { get; init; } = 4 * 1024;

    /// <summary>Maximum size of a property, field or map key name in UTF-8.</summary>
    public int MaxPropertyNameBytes { get; init; } = 1024;
}
