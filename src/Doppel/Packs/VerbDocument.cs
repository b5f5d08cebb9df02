namespace Doppel.Packs;

/// <summary>A document a verb was given (<see cref="VerbValue.Document"/>), read and checked to be well-formed JSON or YAML by the host.</summary>
/// <param name="Source">Where it came from, for messages: the path as given, or <c>stdin</c>.</param>
/// <param name="Text">Its text, for <see cref="DocumentReader"/> or a JSON parser.</param>
public sealed record VerbDocument(string Source, string Text);
