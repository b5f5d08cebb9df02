namespace Doppel.Modeling;

/// <summary>How strict <see cref="ModelParser"/> is about references and @context extensions.</summary>
public sealed class ModelParserOptions
{
    /// <summary>
    /// Lenient mode: references that resolve neither within the set nor against the existing models become warnings.
    /// A Relationship keeps its unresolved <see cref="RelationshipDef.Target"/>; a Component keeps its unresolved
    /// <see cref="ComponentDef.Schema"/>; an unresolved base stays in <see cref="InterfaceModel.Extends"/> and
    /// <see cref="InterfaceModel.Ancestors"/> but contributes no inherited contents (they are unknown).
    /// </summary>
    public bool AllowUndefinedReferences { get; set; }

    /// <summary>
    /// When true an unknown @context extension is a warning, and the elements under it are "contextually incomplete"
    /// (DTDL v3/v4 "Model completeness"): co-types that extension may define are accepted with a warning, and make their
    /// element "informally co-typed", so that members the extension may define are accepted too. An extension this parser
    /// knows but that the DTDL version in force cannot use (a v3 extension under v2) stays an error.
    /// </summary>
    public bool AllowUnknownExtensions { get; set; }

    /// <summary>
    /// Lets an unexpected exception escape instead of becoming an <c>internal-error</c>: the fuzz test sets it, so that a
    /// parser bug the guard would hide fails the test with the stack that reached it.
    /// </summary>
    internal bool RethrowUnexpected { get; init; }
}
