namespace Doppel.Packs;

/// <summary>A part of a <see cref="Report"/>: <see cref="ReportText"/> or <see cref="ReportTable"/>.</summary>
public abstract record ReportBlock;
