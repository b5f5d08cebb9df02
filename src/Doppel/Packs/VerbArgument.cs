namespace Doppel.Packs;

/// <summary>A positional argument of a verb.</summary>
public sealed record VerbArgument(string Name, string Description)
{
    /// <summary>Whether it must be given (optional ones come last).</summary>
    public bool Required { get; init; } = true;

    /// <summary>What it takes: a text, or a <see cref="VerbValue.Document"/> (a number or a flag is an option).</summary>
    public VerbValue Value { get; init; } = VerbValue.Text;
}
