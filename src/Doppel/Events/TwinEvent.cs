using System.Text.Json;

namespace Doppel.Events;

/// <summary>
/// Something that happened to a twin, in CloudEvents terms (the shape ADT routes): a lifecycle change, an update with its
/// JSON Patch, a relationship change, or a telemetry message. Immutable; one instance is shared by every subscriber.
/// </summary>
/// <param name="Id">Unique per event (a version 7 GUID, so ids sort by time).</param>
/// <param name="Type">One of <see cref="TwinEventTypes"/>.</param>
/// <param name="TwinId">The twin the event is about (the source twin for relationship events).</param>
/// <param name="ModelId">The twin's model (ADT's <c>dataschema</c> for telemetry).</param>
/// <param name="Subject">ADT's subject: the twin id, <c>twin/relationships/id</c>, or <c>twin/components/name</c>.</param>
/// <param name="Time">When it happened (the source time for telemetry).</param>
/// <param name="Data">The event's body as UTF-8 JSON.</param>
public sealed record TwinEvent(string Id, string Type, string TwinId, string ModelId, string Subject, DateTimeOffset Time, ReadOnlyMemory<byte> Data)
{
    /// <summary>The component a telemetry message or component update belongs to.</summary>
    public string? Component { get; init; }

    /// <summary>The relationship of a relationship event.</summary>
    public string? RelationshipId { get; init; }

    /// <summary>The message id of a telemetry message.</summary>
    public string? MessageId { get; init; }

    /// <summary>The body parsed; each call parses again, so a subscriber that needs it more than once keeps it.</summary>
    public JsonDocument ParseData() => JsonDocument.Parse(Data);
}
