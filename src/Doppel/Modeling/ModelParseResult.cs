namespace Doppel.Modeling;

/// <summary>The interfaces of a loaded set and every error and warning found, from all documents.</summary>
public sealed class ModelParseResult(IReadOnlyList<InterfaceModel> interfaces, IReadOnlyList<ModelError> errors, IReadOnlyList<ModelError> warnings)
{
    /// <summary>The interfaces declared by the documents (top-level and inline), in document order; partial when there are errors.</summary>
    public IReadOnlyList<InterfaceModel> Interfaces { get; } = interfaces;

    public IReadOnlyList<ModelError> Errors { get; } = errors;

    public IReadOnlyList<ModelError> Warnings { get; } = warnings;

    public bool IsValid => Errors.Count == 0;

    /// <summary>
    /// Interfaces the set depends on (through extends or a Component's schema) that are neither in it nor among the
    /// existing models: what a <see cref="ModelRepository"/> is asked for.
    /// </summary>
    public IReadOnlyList<Dtmi> MissingDependencies { get; init; } = [];
}
