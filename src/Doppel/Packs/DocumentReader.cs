using Doppel.Packs.Internal;

namespace Doppel.Packs;

/// <summary>
/// Reads a scenario document, YAML or JSON, into <see cref="DocumentNode"/>s: JSON (text starting with <c>{</c>) by
/// the JSON reader, anything else as YAML, so that both forms are read by one pack reader with the same errors. A
/// document holds one mapping at its root; keys are texts and appear once.
/// </summary>
public static class DocumentReader
{
    /// <summary>The document's root mapping, or an error with its line.</summary>
    public static Result<DocumentMap> Parse(string text) => Read(text, root => root);

    /// <summary>Parses the document and reads it with <paramref name="read"/>; a <see cref="DocumentException"/> it throws becomes the error.</summary>
    public static Result<T> Read<T>(string text, Func<DocumentMap, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            var trimmed = (text ?? "").AsSpan().TrimStart();
            var root = trimmed.Length > 0 && trimmed[0] == '{' ? JsonDocumentParser.Parse(text!) : YamlDocumentParser.Parse(text ?? "");
            return Result<T>.Ok(read(root));
        }
        catch (DocumentException e)
        {
            return Result<T>.Fail("InvalidArgument", e.Describe());
        }
    }

    /// <summary>Reads an already parsed document (or part of one); a <see cref="DocumentException"/> becomes the error.</summary>
    public static Result<T> Read<T>(DocumentMap document, Func<DocumentMap, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return Result<T>.Ok(read(document));
        }
        catch (DocumentException e)
        {
            return Result<T>.Fail("InvalidArgument", e.Describe());
        }
    }
}
