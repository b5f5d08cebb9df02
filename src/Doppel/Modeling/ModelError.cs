namespace Doppel.Modeling;

/// <summary>A model validation finding: where (document and JSON path such as <c>$.contents[2].schema</c>), which rule, and what was expected.</summary>
public sealed record ModelError(string Document, string Path, string Rule, string Message)
{
    public override string ToString() => $"{Document} {Path}: {Rule}: {Message}";
}
