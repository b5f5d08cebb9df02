using Doppel.Query.Internal;

namespace Doppel.Query;

/// <summary>A query that parsed: its text and syntax tree.</summary>
public sealed class ParsedQuery
{
    internal ParsedQuery(string text, QuerySyntax syntax) => (Text, Syntax) = (text, syntax);

    /// <summary>The query text as submitted.</summary>
    public string Text { get; }

    internal QuerySyntax Syntax { get; }

    /// <summary>True for <c>SELECT COUNT()</c>.</summary>
    public bool IsCount => Syntax.Select.Kind == SelectKind.Count;

    /// <summary>The TOP(n) limit, if any.</summary>
    public int? Top => Syntax.Select.Top;

    public override string ToString() => Text;
}
