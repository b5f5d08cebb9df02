namespace Doppel.Packs;

/// <summary>A line (or lines) of text.</summary>
public sealed record ReportText(string Text) : ReportBlock;
