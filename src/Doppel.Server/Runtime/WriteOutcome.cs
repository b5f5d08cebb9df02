namespace Doppel.Server.Runtime;

/// <summary>What a twin grain answers for a write: the new document and its etag, or an ADT error.</summary>
[GenerateSerializer, Immutable]
public sealed class WriteOutcome
{
    [Id(0)] public string? Json { get; init; }

    [Id(1)] public string? ETag { get; init; }

    [Id(2)] public string? ErrorCode { get; init; }

    [Id(3)] public string? ErrorMessage { get; init; }

    public DoppelError? Error => ErrorCode is null ? null : new DoppelError(ErrorCode, ErrorMessage ?? "");

    public static readonly WriteOutcome Deleted = new();

    public static WriteOutcome Written(string json, string etag) => new() { Json = json, ETag = etag };

    public static WriteOutcome Failed(DoppelError error) => new() { ErrorCode = error.Code, ErrorMessage = error.Message };

    public static WriteOutcome Failed(string code, string message) => new() { ErrorCode = code, ErrorMessage = message };
}
