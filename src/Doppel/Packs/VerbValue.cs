namespace Doppel.Packs;

/// <summary>The kind of value an option (or an argument: a text or a document) takes.</summary>
public enum VerbValue
{
    Text,
    Number,
    Flag,

    /// <summary>A JSON or YAML document: a file, or <c>-</c> for standard input. The host reads it, checks that it is well-formed, and gives it as <see cref="VerbContext.Document"/>.</summary>
    Document,
}
