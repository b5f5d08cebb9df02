using System.Text;
using System.Text.Json.Nodes;
using Doppel.Events;
using Doppel.Rules;
using Doppel.Twins;

namespace Doppel.Cli.Bench.Fuzz;

/// <summary>
/// ADT event route filters: every input through <see cref="EventFilter.Parse"/>; one that parses is matched against
/// real events of every kind (twin create, update, delete, relationship, telemetry, a body that is not JSON). Accepted
/// means it matches without throwing, and a filter that says it does not read the body gives the same verdict whatever
/// the body holds.
/// </summary>
internal sealed class FilterFuzzTarget : IFuzzTarget
{
    private static readonly string[] BuiltIn =
    [
        "true",
        "type = 'Microsoft.DigitalTwins.Twin.Update' AND $body.patch[0].value > 20",
        "type IN ['Microsoft.DigitalTwins.Twin.Create', 'Microsoft.DigitalTwins.Relationship.Create'] OR subject = 'room-1'",
        "$body.$metadata.$model = 'dtmi:fuzz:Room;1' AND NOT ($body.capacity < 8)",
        "source = 'doppel.local' AND specversion = '1.0' AND datacontenttype = 'application/json'",
        "dataschema = 'dtmi:fuzz:Room;1' AND $body.temp >= 21.5",
        "STARTSWITH(subject, 'room') AND $body['humidity'] != 40",
        "type != 'microsoft.iot.telemetry' OR ENDSWITH($body.status, 'ok')",
        "$body.readings[1] = 2 OR IS_DEFINED($body.location.x)",
        "(id = 'x' OR traceparent = '00') AND time > '2025-01-01'",
    ];

    private static readonly string[] Tokens =
    [
        "type", "source", "subject", "id", "time", "specversion", "datacontenttype", "dataschema", "traceparent", "$body", "$body.", "$body[0]",
        "$body['name']", "$body.patch", "$body.patch[0].value", "$body.$metadata", "$body.$metadata.$model", "AND", "OR", "NOT", "IN", "NIN",
        "and", "or", "not", "=", "!=", "<>", "<", "<=", ">", ">=", "(", ")", "[", "]", ",", ".", "'", "\"", "true", "false", "null",
        "STARTSWITH", "ENDSWITH", "CONTAINS", "IS_DEFINED", "IS_NULL", "IS_OF_MODEL", "'Microsoft.DigitalTwins.Twin.Create'",
        "'Microsoft.DigitalTwins.Twin.Update'", "'Microsoft.DigitalTwins.Twin.Delete'", "'Microsoft.DigitalTwins.Relationship.Create'",
        "'microsoft.iot.telemetry'", "'room-1'", "'dtmi:fuzz:Room;1'", "'doppel.local'", "'1.0'", "temp", "humidity", "status", "capacity", "-1", "1.5e3",
    ];

    private readonly TwinEvent[] _events;

    /// <summary>The same events with bodies that say something else, or are not JSON: a filter that does not read bodies cannot tell them apart.</summary>
    private readonly TwinEvent[] _otherBodies;

    public FilterFuzzTarget(string? repository)
    {
        var found = FuzzCorpus.Literals(repository, "tests/Doppel.Tests/Rules", IsFilter)
            .Concat(FuzzCorpus.Literals(repository, "tests/Doppel.IntegrationTests", s => s.Contains("$body", StringComparison.Ordinal) || s.StartsWith("type ", StringComparison.Ordinal)))
            .Concat(FuzzCorpus.MarkdownCode(repository, "docs/api.md", IsFilter));
        Mutator = new TextMutator(FuzzCorpus.Merge(BuiltIn, found), Tokens);

        var twins = FuzzTwins.Create();
        var room = twins.Twin("room-1");
        var patch = JsonPatchDocument.Parse("""[{"op":"replace","path":"/temperature","value":25.5},{"op":"add","path":"/tags/new","value":"x"}]""").Value!;
        var updated = twins.Operations.Patch(room, patch, FuzzTwins.Now, "W/\"2\"").Value!;
        var relationship = twins.Graph.Outgoing("floor-1")[0];
        _events =
        [
            TwinEvents.TwinCreated(room, FuzzTwins.Now),
            TwinEvents.TwinUpdated(room, updated, FuzzTwins.Now)!,
            TwinEvents.TwinDeleted(twins.Twin("floor-2"), FuzzTwins.Now),
            TwinEvents.RelationshipCreated(relationship, FuzzTwins.Floor, FuzzTwins.Now),
            TwinEvents.Telemetry("room-2", FuzzTwins.Room, null, Encoding.UTF8.GetBytes("""{"temp":21.5,"humidity":40,"status":"ok"}"""), FuzzTwins.Now, "m1"),
            TwinEvents.Telemetry("room-3", FuzzTwins.Room, "thermostat", Encoding.UTF8.GetBytes("""{"t":[1,{"a":null}]}"""), FuzzTwins.Now, null),
            TwinEvents.Telemetry("room-4", FuzzTwins.Room, null, Encoding.UTF8.GetBytes("not json {"), FuzzTwins.Now, null),
        ];
        var other = new JsonObject { ["temp"] = -3, ["patch"] = new JsonArray(), ["$metadata"] = new JsonObject { ["$model"] = "dtmi:other:X;1" } };
        _otherBodies = [.. _events.Select((e, i) => e with { Data = i % 2 == 0 ? Encoding.UTF8.GetBytes(other.ToJsonString()) : "\u0001"u8.ToArray() })];
    }

    public string Name => "filter";

    public string Description => "event route filters (EventFilter.Parse, matched against twin, relationship and telemetry events)";

    public TextMutator Mutator { get; }

    private static bool IsFilter(string s) =>
        s.Contains("$body", StringComparison.Ordinal) || s.StartsWith("type", StringComparison.OrdinalIgnoreCase) || s.StartsWith("subject", StringComparison.Ordinal)
        || s.StartsWith("source", StringComparison.Ordinal) || s is "true" or "false";

    public string Run(string input)
    {
        var parsed = EventFilter.Parse(input);
        if (!parsed.IsSuccess)
        {
            return parsed.Error.Code;
        }

        var filter = parsed.Value!;
        var matched = 0;
        for (var i = 0; i < _events.Length; i++)
        {
            var verdict = filter.Matches(_events[i], "doppel.local");
            matched += verdict ? 1 : 0;
            if (!filter.ReadsBody && filter.Matches(_otherBodies[i], "doppel.local") != verdict)
            {
                throw new FuzzViolation($"a filter that does not read the body judged event {i} differently with another body");
            }
        }

        return matched == 0 ? "parsed, matches none" : matched == _events.Length ? "parsed, matches all" : "parsed, matches some";
    }
}
