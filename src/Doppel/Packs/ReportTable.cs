namespace Doppel.Packs;

/// <summary>A table: its column headers and its rows of cells.</summary>
public sealed record ReportTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows) : ReportBlock;
