namespace Doppel.Packs;

/// <summary>The kind of value an option takes.</summary>
public enum VerbValue
{
    Text,
    Number,
    Flag,
}
