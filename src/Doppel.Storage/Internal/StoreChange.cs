namespace Doppel.Storage.Internal;

/// <summary>One change in a batch; the meaning of the string slots depends on <see cref="Kind"/>; a JSON document is either <c>Json</c> or <c>Utf8Json</c>.</summary>
internal readonly record struct StoreChange(
    ChangeKind Kind,
    string Key1,
    string? Key2 = null,
    string? Json = null,
    string? Extra1 = null,
    string? Extra2 = null,
    DateTimeOffset Time = default,
    bool Flag = false,
    byte[]? Utf8Json = null);
