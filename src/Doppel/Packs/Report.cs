namespace Doppel.Packs;

/// <summary>Text and tables for people, in order: a host prints them its own way (the CLI as lines and tables).</summary>
public sealed record Report(IReadOnlyList<ReportBlock> Blocks);
