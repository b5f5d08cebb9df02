namespace Doppel.Packs;

/// <summary>A list of a document (a YAML sequence, a JSON array).</summary>
public sealed class DocumentList : DocumentNode
{
    internal DocumentList(string path, int line, int column, IReadOnlyList<DocumentNode> items)
        : base(path, line, column) => Items = items;

    public IReadOnlyList<DocumentNode> Items { get; }

    public int Count => Items.Count;

    /// <summary>Each item as a number, or an error at the first that is not one.</summary>
    public IReadOnlyList<double> Numbers() => [.. Items.Select(i => i.ExpectScalar("a number").Number())];

    /// <summary>Each item as a whole number, or an error at the first that is not one.</summary>
    public IReadOnlyList<int> Integers() => [.. Items.Select(i => i.ExpectScalar("a whole number").Integer())];
}
