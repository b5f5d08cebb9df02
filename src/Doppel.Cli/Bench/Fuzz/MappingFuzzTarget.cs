using System.Text;
using System.Text.Json;
using Doppel.Ingest;
using Doppel.Server.Api;

namespace Doppel.Cli.Bench.Fuzz;

/// <summary>
/// Ingest mapping documents as <c>PUT /doppel/mappings/{id}</c> reads them: every input as YAML (the server's YAML
/// reader, with the lines of keys), and as JSON when it looks like JSON, then <see cref="IngestMapping.Parse"/>.
/// Accepted means the mapping works: a topic written from its template matches it, and applying it to device payloads
/// gives a message or a dead-letter reason, never an exception.
/// </summary>
internal sealed class MappingFuzzTarget : IFuzzTarget
{
    private static readonly string[] BuiltIn =
    [
        """
        topic: factory/{line}/{machine}/data
        twinId: "{line}-{machine}"
        kind: telemetry
        timestamp: $.ts
        messageId: $.seq
        values:
          temp: { path: $.readings.tempF, unit: degreeFahrenheit }
          status: $.status
        """,
        """
        topic: sensors/+/#
        twinId: $.deviceId
        kind: properties
        component: thermostat
        values:
          setpoint: $.sp
        """,
        """{"topic":"plant/{site}/rooms/{room}","twinId":"{room}","kind":"telemetry","timestamp":"$.time","values":{"temp":{"path":"$.t[0]","unit":"degreeCelsius"},"humidity":"$['h']"}}""",
        """{"topic":"devices/{id}/telemetry","twinId":"room-{id}"}""",
        """
        # a comment
        topic: 'a/{b}/c'
        twinId: '{b}'
        values: {temperature: "$.a.b.c", capacity: {path: "$.n", unit: kilopascal}}
        """,
    ];

    private static readonly string[] Tokens =
    [
        "topic", "twinId", "kind", "component", "timestamp", "messageId", "values", "path", "unit", "id", "unti", "telemetry", "properties",
        "{line}", "{machine}", "{", "}", "{}", "{a b}", "+", "#", "/", "//", "$", "$.", "$.a", "$.a.b", "$[0]", "$['x']", "$..a", "$.*", "[", "]",
        "degreeFahrenheit", "degreeCelsius", "kelvin", "kilopascal", "kilometrePerHour", "metre", "percent", "notAUnit", ":", ": ", "- ", "? ",
        "\n", "\n  ", "  ", "'", "\"", "|", ">", "---", "...", "&anchor", "*anchor", "<<: *anchor", "!!map", "!!str", "~", "null", "{line}-{machine}",
    ];

    /// <summary>What devices send: objects that hold or miss each path, other JSON values.</summary>
    private static readonly JsonElement[] Payloads =
    [
        Parse("""{"ts":"2025-06-01T11:59:00Z","seq":7,"deviceId":"room-1","status":"ok","readings":{"tempF":70.5},"sp":20,"t":[21.5],"h":40,"time":1748779140,"n":3,"a":{"b":{"c":1}}}"""),
        Parse("""{"ts":-1,"seq":{"x":1},"deviceId":5,"readings":[],"time":"not a time","a":null}"""),
        Parse("""{"ts":1e300,"time":99999999999999999999,"deviceId":"","t":"x"}"""),
        Parse("[1,2,3]"),
        Parse("\"text\""),
        Parse("null"),
    ];

    public MappingFuzzTarget(string? repository)
    {
        var found = FuzzCorpus.MarkdownCode(repository, "docs/api.md", IsMapping)
            .Concat(FuzzCorpus.Literals(repository, "tests/Doppel.IntegrationTests", IsMapping))
            .Concat(FuzzCorpus.Literals(repository, "tests/Doppel.Tests/Ingest", IsMapping));
        Mutator = new TextMutator(FuzzCorpus.Merge(BuiltIn, found), Tokens);
    }

    public string Name => "mapping";

    public string Description => "ingest mapping documents, YAML and JSON (the server's readers, then IngestMapping.Parse, topic matching and Apply on payloads)";

    public TextMutator Mutator { get; }

    private static bool IsMapping(string s) => s.Contains("topic", StringComparison.Ordinal) && s.Contains("twinId", StringComparison.Ordinal);

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public string Run(string input)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var yaml = Compile(MappingEndpoints.FromYaml(input, lines), lines);
        var json = input.TrimStart().StartsWith('{')
            ? Compile(RequestBody.ExpectObject(RequestBody.ParseJson(Encoding.UTF8.GetBytes(input)), "a mapping"), null)
            : "-";
        return $"yaml {yaml}, json {json}";
    }

    private static string Compile(Result<System.Text.Json.Nodes.JsonObject> definition, Dictionary<string, int>? lines)
    {
        if (!definition.IsSuccess)
        {
            return "not read: " + definition.Error.Code;
        }

        definition.Value!.Remove("id");
        var mapping = IngestMapping.Parse("fuzz", definition.Value, path => lines is not null && lines.TryGetValue(path, out var line) ? line : null);
        if (!mapping.IsSuccess)
        {
            return "refused: " + mapping.Error.Code;
        }

        Exercise(mapping.Value!);
        return "accepted";
    }

    /// <summary>A topic written from the template matches it; the mapping applies to any payload without throwing.</summary>
    private static void Exercise(IngestMapping mapping)
    {
        var levels = mapping.Topic.Text.Split('/');
        var topic = new StringBuilder();
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            topic.Append(i == 0 ? "" : "/").Append(level switch
            {
                "+" => "any",
                "#" when i == levels.Length - 1 => "rest/of/it",
                _ when level.Length > 2 && level[0] == '{' && level[^1] == '}' => "room-1",
                _ => level,
            });
        }

        var captures = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!mapping.Topic.TryMatch(topic.ToString(), captures))
        {
            throw new FuzzViolation($"a topic written from the template does not match it: '{topic}' and template '{mapping.Topic.Text}'");
        }

        if (!new MappingSet([mapping]).Match(topic.ToString(), captures)?.Id.Equals("fuzz", StringComparison.Ordinal) ?? true)
        {
            throw new FuzzViolation($"a mapping set does not find its only mapping: '{topic}' and template '{mapping.Topic.Text}'");
        }

        foreach (var payload in Payloads)
        {
            var message = mapping.Apply(captures, payload);
            if (message.IsSuccess && message.Value!.TwinId is null)
            {
                throw new FuzzViolation("an applied mapping gave no twin id");
            }
        }
    }
}
