namespace Doppel.Packs;

/// <summary>Text and tables for people, in order: a host prints them its own way (the CLI as lines and tables).</summary>
public sealed record Report(IReadOnlyList<ReportBlock> Blocks);

/// <summary>A part of a <see cref="Report"/>: <see cref="ReportText"/> or <see cref="ReportTable"/>.</summary>
public abstract record ReportBlock;

/// <summary>A line (or lines) of text.</summary>
public sealed record ReportText(string Text) : ReportBlock;

/// <summary>A table: its column headers and its rows of cells.</summary>
public sealed record ReportTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows) : ReportBlock;
