namespace Doppel.Packs;

/// <summary>An option of a verb, <c>--Name</c>: a text, a number (checked by the host) or a flag.</summary>
public sealed record VerbOption(string Name, string Description, VerbValue Value)
{
    /// <summary>The value when the option is not given (not for flags); null for none.</summary>
    public string? Default { get; init; }
}
