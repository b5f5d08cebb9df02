namespace Doppel.Cli.Input;

/// <summary>A JSON or YAML document read from a file or standard input and checked to be well-formed.</summary>
/// <param name="Source">The path as given, or "stdin": what messages about it name.</param>
/// <param name="Text">Its text.</param>
/// <param name="IsJson">Whether it was read as JSON (else YAML).</param>
internal sealed record InputDocument(string Source, string Text, bool IsJson);
