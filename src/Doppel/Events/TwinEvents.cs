using System.Buffers;
using System.Text;
using System.Text.Json;
using Doppel.Twins;

namespace Doppel.Events;

/// <summary>Builds the events ADT emits for twin and relationship changes and telemetry, with ADT's bodies.</summary>
public static class TwinEvents
{
    public static TwinEvent TwinCreated(TwinDocument twin, DateTimeOffset time) =>
        new(NewId(), TwinEventTypes.TwinCreate, twin.Id, twin.Model.Value, twin.Id, time, twin.Utf8Json);

    public static TwinEvent TwinDeleted(TwinDocument twin, DateTimeOffset time) =>
        new(NewId(), TwinEventTypes.TwinDelete, twin.Id, twin.Model.Value, twin.Id, time, twin.Utf8Json);

    /// <summary>ADT's update body: <c>{"modelId": ..., "patch": [JSON Patch from before to after]}</c>; null when nothing a reader sees changed.</summary>
    public static TwinEvent? TwinUpdated(TwinDocument before, TwinDocument after, DateTimeOffset time)
    {
        var data = UpdateBody(after.Model.Value, before.Utf8Json, after.Utf8Json);
        return data is null ? null : new(NewId(), TwinEventTypes.TwinUpdate, after.Id, after.Model.Value, after.Id, time, data);
    }

    public static TwinEvent RelationshipCreated(RelationshipDocument relationship, string sourceModel, DateTimeOffset time) =>
        Relationship(TwinEventTypes.RelationshipCreate, relationship, sourceModel, time, relationship.ToUtf8Json());

    public static TwinEvent RelationshipDeleted(RelationshipDocument relationship, string sourceModel, DateTimeOffset time) =>
        Relationship(TwinEventTypes.RelationshipDelete, relationship, sourceModel, time, relationship.ToUtf8Json());

    public static TwinEvent? RelationshipUpdated(RelationshipDocument before, RelationshipDocument after, string sourceModel, DateTimeOffset time)
    {
        var data = UpdateBody(sourceModel, before.ToUtf8Json(), after.ToUtf8Json());
        return data is null ? null : Relationship(TwinEventTypes.RelationshipUpdate, after, sourceModel, time, data);
    }

    /// <summary>A telemetry message as ADT routes it: the payload as the body, the model as <c>dataschema</c>.</summary>
    public static TwinEvent Telemetry(string twinId, string modelId, string? component, ReadOnlyMemory<byte> payload, DateTimeOffset sourceTime, string? messageId) =>
        new(NewId(), TwinEventTypes.Telemetry, twinId, modelId, component is null ? twinId : $"{twinId}/components/{component}", sourceTime, payload)
        {
            Component = component,
            MessageId = messageId,
        };

    private static TwinEvent Relationship(string type, RelationshipDocument relationship, string sourceModel, DateTimeOffset time, ReadOnlyMemory<byte> data) =>
        new(NewId(), type, relationship.SourceId, sourceModel, $"{relationship.SourceId}/relationships/{relationship.Id}", time, data)
        {
            RelationshipId = relationship.Id,
        };

    private static string NewId() => Guid.CreateVersion7().ToString();

    private static byte[]? UpdateBody(string modelId, ReadOnlyMemory<byte> before, ReadOnlyMemory<byte> after)
    {
        using var old = JsonDocument.Parse(before);
        using var now = JsonDocument.Parse(after);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("modelId"u8, modelId);
            writer.WriteStartArray("patch"u8);
            var operations = JsonDiff.Write(writer, old.RootElement, now.RootElement, IsSystemMember);
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
            if (operations == 0)
            {
                return null;
            }
        }
        return buffer.WrittenSpan.ToArray();
    }

    // What ADT leaves out of an update's patch: identity, etag and bookkeeping times; a sourceTime change is a real change.
    private static bool IsSystemMember(string path, string name) =>
        name is "$dtId" or "$etag" or "$lastUpdateTime" or "$relationshipId" or "$sourceId" or "$targetId" or "$relationshipName"
        || (name == "lastUpdateTime" && path.Contains("/$metadata/", StringComparison.Ordinal));

    /// <summary>For tests and logs: the body as text.</summary>
    public static string DataText(this TwinEvent e) => Encoding.UTF8.GetString(e.Data.Span);
}
