namespace Doppel.Packs;

/// <summary>
/// A node of a scenario document, YAML or JSON alike: where it is (line, column, and its path such as
/// <c>line.stations[1].cycleTime</c>) and what it holds. Packs read their documents through these nodes, so every
/// document error says where it is and why.
/// </summary>
public abstract class DocumentNode
{
    private protected DocumentNode(string path, int line, int column)
    {
        Path = path;
        Line = line;
        Column = column;
    }

    /// <summary>Where the node is in the document: keys joined by dots, list items by index (<c>whatIf.faster.stations</c>); empty at the root.</summary>
    public string Path { get; }

    /// <summary>The line it starts on, from 1.</summary>
    public int Line { get; }

    /// <summary>The column it starts at, from 1.</summary>
    public int Column { get; }

    /// <summary>An error about this node, to throw: the reader turns it into <c>line N, path: message</c>.</summary>
    public DocumentException Error(string message) => new(Line, Column, Path, message);

    /// <summary>This node as a mapping, or an error saying what was expected.</summary>
    /// <param name="what">What a mapping here holds, e.g. "a mapping of station changes".</param>
    public DocumentMap ExpectMap(string what) => this as DocumentMap ?? throw Error($"must be {what}");

    /// <summary>This node as a list, or an error saying what was expected.</summary>
    public DocumentList ExpectList(string what) => this as DocumentList ?? throw Error($"must be {what}");

    /// <summary>This node as a single value, or an error saying what was expected.</summary>
    public DocumentScalar ExpectScalar(string what) => this as DocumentScalar ?? throw Error($"must be {what}");

    /// <summary>The path of a child of this node.</summary>
    internal string Child(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    internal string Item(int index) => $"{Path}[{index}]";
}
