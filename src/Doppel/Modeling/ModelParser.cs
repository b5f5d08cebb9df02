using Doppel.Modeling.Internal;

namespace Doppel.Modeling;

/// <summary>Parses and validates DTDL v2 and v3 documents as one set, resolving references within it and against existing models.</summary>
public sealed class ModelParser(ModelParserOptions? options = null)
{
    private readonly ModelParserOptions _options = options ?? new ModelParserOptions();

    /// <summary>Loads every document (one Interface object or an array of them) and reports all errors of the batch.</summary>
    public ModelParseResult Parse(IReadOnlyList<ModelDocument> documents, IModelResolver? existing = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var sink = new ErrorSink();
        var reader = new DocumentReader(_options, sink);
        var drafts = reader.Read(documents);
        var interfaces = new ModelLinker(_options, sink, existing).Link(drafts);
        return new ModelParseResult(interfaces, sink.Errors, sink.Warnings);
    }
}
