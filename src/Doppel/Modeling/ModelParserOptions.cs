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
    /// Whether a model that names an @context extension this parser does not know (a "contextually incomplete" model,
    /// DTDL "Model completeness") is accepted. Then the unknown extension is a warning, and co-types it may define are
    /// accepted with a warning and make their element "informally co-typed", so that members it may define are accepted
    /// too. Null, the default, follows the specification's recommendation: accepted in DTDL v2 ("it is RECOMMENDED that
    /// contextually incomplete models be accepted by default") and refused in v3 and v4 ("… be rejected by default").
    /// </summary>
    public bool? AllowUnknownExtensions { get; set; }

    /// <summary>
    /// Limit extensions a model may use after "dtmi:dtdl:context;4#limitless" to raise DTDL's limits (the specification
    /// defines one, "dtmi:dtdl:limits:onvif;1"). None by default: like the official parser, which accepts a limit extension
    /// only when its caller names it, a model that uses one is refused unless it is listed here. The specification leaves
    /// the support of any extension to each tool.
    /// </summary>
    public IReadOnlyCollection<string> LimitExtensions { get; set; } = [];

    /// <summary>
    /// Lets an unexpected exception escape instead of becoming an <c>internal-error</c>: the fuzz test sets it, so that a
    /// parser bug the guard would hide fails the test with the stack that reached it.
    /// </summary>
    internal bool RethrowUnexpected { get; init; }
}
