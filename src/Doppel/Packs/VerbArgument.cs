namespace Doppel.Packs;

/// <summary>A positional argument of a verb.</summary>
public sealed record VerbArgument(string Name, string Description)
{
    /// <summary>Whether it must be given (optional ones come last).</summary>
    public bool Required { get; init; } = true;
}
