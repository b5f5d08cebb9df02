using Doppel.Modeling.Internal;

namespace Doppel.Modeling;

/// <summary>Parses and validates DTDL v2, v3 and v4 documents as one set, resolving references within it and against existing models.</summary>
public sealed class ModelParser(ModelParserOptions? options = null)
{
    private readonly ModelParserOptions _options = options ?? new ModelParserOptions();

    /// <summary>Loads every document (one Interface object or an array of them) and reports all errors of the batch.</summary>
    public ModelParseResult Parse(IReadOnlyList<ModelDocument> documents, IModelResolver? existing = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var sink = new ErrorSink();
        try
        {
            var reader = new DocumentReader(_options, sink);
            var drafts = reader.Read(documents);
            var linker = new ModelLinker(_options, sink, existing);
            var interfaces = linker.Link(drafts);
            return new ModelParseResult(interfaces, sink.Errors, sink.Warnings) { MissingDependencies = linker.Missing.Distinct().ToList() };
        }
        catch (Exception e) when (e is not OutOfMemoryException && !_options.RethrowUnexpected)
        {
            // No input may throw out of the parser: an input that reaches an unforeseen path is refused, never a 500.
            // Each such case is a parser bug to fix; the error names the documents so that it can be reproduced.
            var names = string.Join(", ", documents.Select(d => d.Name));
            var errors = new List<ModelError>(sink.Errors) { new(documents.Count > 0 ? documents[0].Name : "", "$", "internal-error", $"the parser failed on these documents ({names}): {e.GetType().Name}: {e.Message}") };
            return new ModelParseResult([], errors, sink.Warnings);
        }
    }
}
