using System.Text.Json.Nodes;
using Doppel.Twins;

namespace Doppel.Cli.Bench.Fuzz;

/// <summary>
/// JSON Patch: every input through <see cref="JsonPatchDocument.Parse"/>; one that parses is applied to a twin (whole,
/// and relative to its component) and to a relationship with <see cref="TwinOperations"/>, as PATCH requests apply
/// them. Accepted means the result is a valid document: the patched twin, written as ADT JSON, is accepted again by
/// <see cref="TwinOperations.Create(string, JsonObject, DateTimeOffset, string)"/> with the same properties.
/// </summary>
internal sealed class PatchFuzzTarget : IFuzzTarget
{
    private static readonly string[] BuiltIn =
    [
        """[{"op":"replace","path":"/temperature","value":22.5}]""",
        """[{"op":"add","path":"/tags/floor","value":"2"},{"op":"remove","path":"/tags/kind"}]""",
        """[{"op":"add","path":"/location","value":{"x":1,"y":2}},{"op":"replace","path":"/location/x","value":-4.5}]""",
        """[{"op":"add","path":"/readings/-","value":3},{"op":"remove","path":"/readings/0"},{"op":"add","path":"/readings/1","value":7}]""",
        """[{"op":"replace","path":"/thermostat/setpoint","value":19},{"op":"add","path":"/thermostat/$metadata/setpoint/sourceTime","value":"2025-01-01T00:00:00Z"}]""",
        """[{"op":"add","path":"/$metadata/temperature/sourceTime","value":"2025-05-01T10:00:00Z"},{"op":"add","path":"/mode","value":"eco"}]""",
        """[{"op":"replace","path":"/$metadata/$model","value":"dtmi:fuzz:Room;1"},{"op":"remove","path":"/name"}]""",
        """[{"op":"add","path":"/since","value":"2025-01-01T00:00:00Z"}]""",
        """[{"op":"add","path":"/tags/a~1b","value":"slash"},{"op":"add","path":"/tags/c~0d","value":"tilde"}]""",
        """[{"op":"replace","path":"/setpoint","value":20.5}]""",
        """[{"op":"add","path":"/occupied","value":null},{"op":"replace","path":"/capacity","value":12}]""",
        """[{"op":"add","path":"/thermostat","value":{"$metadata":{},"setpoint":18}}]""",
    ];

    private static readonly string[] Tokens =
    [
        "op", "path", "value", "from", "add", "replace", "remove", "move", "copy", "test", "/", "/-", "/0", "/1", "/-1", "/01", "~0", "~1", "~2",
        "/temperature", "/name", "/tags", "/tags/kind", "/location", "/location/x", "/readings", "/readings/-", "/readings/5", "/thermostat",
        "/thermostat/setpoint", "/thermostat/$metadata", "/$metadata", "/$metadata/$model", "/$metadata/temperature", "/$metadata/temperature/sourceTime",
        "/$dtId", "/$etag", "/since", "/setpoint", "/$relationshipName", "/$targetId", "/mode", "/capacity", "/occupied", "sourceTime", "lastUpdateTime",
        "$model", "dtmi:fuzz:Room;1", "dtmi:fuzz:Floor;1", "dtmi:fuzz:Nope;1", "eco", "comfort", "2025-01-01T00:00:00Z", "not a time", "$metadata",
    ];

    private readonly FuzzTwins _twins = FuzzTwins.Create();
    private readonly TwinDocument _room;
    private readonly RelationshipDocument _relationship;
    private readonly TwinDocument _floor;

    public PatchFuzzTarget(string? repository)
    {
        var found = FuzzCorpus.Literals(repository, "tests/Doppel.Tests/Twins", s => s.TrimStart().StartsWith('[') && s.Contains("\"op\"", StringComparison.Ordinal))
            .Concat(FuzzCorpus.MarkdownCode(repository, "docs/api.md", s => s.Contains("\"op\"", StringComparison.Ordinal) && s.TrimStart().StartsWith('[')));
        Mutator = new TextMutator(FuzzCorpus.Merge(BuiltIn, found), Tokens);
        _room = _twins.Twin("room-1");
        _floor = _twins.Twin("floor-1");
        _relationship = _twins.Graph.Outgoing("floor-1")[0];
    }

    public string Name => "patch";

    public string Description => "JSON Patch documents (JsonPatchDocument.Parse, applied to a twin, a component and a relationship by TwinOperations)";

    public TextMutator Mutator { get; }

    public string Run(string input)
    {
        var parsed = JsonPatchDocument.Parse(input);
        if (!parsed.IsSuccess)
        {
            return parsed.Error.Code;
        }

        var patch = parsed.Value!;
        var twin = _twins.Operations.Patch(_room, patch, FuzzTwins.Now, "W/\"2\"");
        if (twin.IsSuccess)
        {
            CheckValid(twin.Value!);
        }

        var component = _twins.Operations.PatchComponent(_room, "thermostat", patch, FuzzTwins.Now, "W/\"2\"");
        if (component.IsSuccess)
        {
            CheckValid(component.Value!);
        }

        var relationship = _twins.Operations.PatchRelationship(_relationship, _floor, patch, "W/\"2\"");
        if (relationship.IsSuccess)
        {
            _ = relationship.Value!.ToJsonString();
        }

        return $"parsed; twin {Label(twin.Error)}, component {Label(component.Error)}, relationship {Label(relationship.Error)}";
    }

    private static string Label(DoppelError? error) => error is null ? "patched" : error.Code;

    /// <summary>A patched twin is a valid twin: its ADT JSON creates the same twin again.</summary>
    private void CheckValid(TwinDocument patched)
    {
        var json = patched.ToJson();
        var again = _twins.Operations.Create(patched.Id, json, FuzzTwins.Now, "W/\"3\"");
        if (!again.IsSuccess)
        {
            throw new FuzzViolation($"a patched twin is not valid: {again.Error.Message}; the twin: {patched.ToJsonString()}");
        }

        var before = Properties(json);
        var after = Properties(again.Value!.ToJson());
        if (before != after)
        {
            throw new FuzzViolation($"a patched twin changed when created again: {before} became {after}");
        }
    }

    private static string Properties(JsonObject twin)
    {
        var copy = (JsonObject)twin.DeepClone();
        copy.Remove("$etag");
        copy.Remove("$metadata");
        foreach (var (_, value) in copy)
        {
            (value as JsonObject)?.Remove("$metadata");
        }

        return copy.ToJsonString();
    }
}
