namespace Doppel.Ingest;

/// <summary>Why a device message could not be ingested; each is a stable code for queries and metrics.</summary>
public static class DeadLetterReason
{
    public const string MalformedJson = "MalformedJson";
    public const string UnknownTwin = "UnknownTwin";

    /// <summary>The sender may not write to this twin (its access rules refuse it).</summary>
    public const string Forbidden = "Forbidden";
    public const string ValidationFailed = "ValidationFailed";
    public const string PayloadTooLarge = "PayloadTooLarge";
    public const string UnmappedTopic = "UnmappedTopic";
    public const string MappingFailed = "MappingFailed";
    public const string UnitMismatch = "UnitMismatch";

    /// <summary>The reading's source time is further ahead of the server's clock than the allowed skew (<see cref="ClockSkew"/>).</summary>
    public const string FutureTimestamp = "FutureTimestamp";

    public static IReadOnlyList<string> All { get; } = [MalformedJson, UnknownTwin, ValidationFailed, PayloadTooLarge, UnmappedTopic, MappingFailed, UnitMismatch, FutureTimestamp];
}
