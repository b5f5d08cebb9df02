namespace Doppel.Modeling;

/// <summary>A Digital Twin Model Identifier such as <c>dtmi:com:example:Room;1</c>.</summary>
/// <remarks>Equality is ordinal on the full text, version included, as DTDL defines it.</remarks>
public sealed record Dtmi(string Value) : IComparable<Dtmi>
{
    /// <summary>The version after ';', or null when the identifier carries none.</summary>
    public int? Version => Value.LastIndexOf(';') is var i and >= 0 && int.TryParse(Value.AsSpan(i + 1), out var v) ? v : null;

    /// <summary>The identifier without its version suffix.</summary>
    public string Path => Value.LastIndexOf(';') is var i and >= 0 ? Value[..i] : Value;

    public int CompareTo(Dtmi? other) => string.CompareOrdinal(Value, other?.Value);

    public override string ToString() => Value;
}
