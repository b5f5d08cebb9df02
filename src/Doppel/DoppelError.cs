namespace Doppel;

/// <summary>An expected failure, as a value: an ADT error code (e.g. "ValidationFailed") and a message saying where and why.</summary>
public sealed record DoppelError(string Code, string Message)
{
    public IReadOnlyList<DoppelError> Details { get; init; } = [];

    public override string ToString() => $"{Code}: {Message}";
}
