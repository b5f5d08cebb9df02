using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.History;
using Doppel.Ingest;
using Doppel.Server.Ingest;
using Doppel.Twins;

namespace Doppel.Cli.Bench.Fuzz;

/// <summary>
/// Device messages as the ingest pipeline reads them, up to the durable stores: an input is a topic (its first line)
/// and a payload (the rest). The topic picks a mapping (real ones, from YAML and JSON definitions) or a convention
/// topic; the payload is parsed, mapped (<see cref="IngestMapping.Apply"/>) or read as a convention payload
/// (<c>IngestPipeline.FromConvention</c>), converted to the model's units, checked for clock skew, then validated
/// against the twin's model: telemetry by <see cref="TwinOperations.ValidateTelemetry"/> and turned into history
/// points, reported properties applied as the twin grain applies them. Accepted means a message changes only what it
/// names: one history point per value, and reported properties leave every other property as it was.
/// </summary>
internal sealed class PayloadFuzzTarget : IFuzzTarget
{
    private static readonly string[] BuiltIn =
    [
        "doppel/twins/room-1/telemetry\n{\"temp\":21.5,\"humidity\":40,\"status\":\"ok\"}",
        "doppel/twins/room-2/telemetry\n{\"temp\":19,\"$sourceTime\":\"2025-06-01T11:59:30Z\",\"$messageId\":\"m-1\"}",
        "doppel/twins/room-3/properties\n{\"temperature\":22.5,\"mode\":\"eco\",\"tags\":{\"a\":\"b\"},\"$sourceTime\":1748779170}",
        "doppel/twins/room-1/components/thermostat/telemetry\n{\"t\":20.5}",
        "doppel/twins/room-4/components/thermostat/properties\n{\"setpoint\":19.5}",
        "doppel/twins/floor-1/properties\n{\"level\":3,\"name\":\"Top\",\"location\":{\"x\":1,\"y\":2}}",
        "factory/room/1/data\n{\"ts\":\"2025-06-01T11:59:00Z\",\"seq\":7,\"readings\":{\"tempF\":70.5},\"status\":\"ok\"}",
        "sensors/x/y/z\n{\"deviceId\":\"room-2\",\"sp\":20}",
        "plant/site/rooms/room-3\n{\"time\":1748779140000,\"t\":[21.5],\"h\":40}",
        "doppel/twins/room-1/telemetry\n[1,2]",
        "doppel/twins/room-9/telemetry\n{\"temp\":1}",
    ];

    private static readonly string[] Mappings =
    [
        """
        topic: factory/room/{n}/data
        twinId: "room-{n}"
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
        """{"topic":"plant/{site}/rooms/{room}","twinId":"{room}","timestamp":"$.time","values":{"temp":{"path":"$.t[0]","unit":"kelvin"},"humidity":"$['h']"}}""",
    ];

    private static readonly string[] Tokens =
    [
        "doppel/twins/", "/telemetry", "/properties", "/components/", "thermostat", "room-1", "floor-1", "factory/room/", "sensors/", "plant/", "/",
        "$sourceTime", "$messageId", "$metadata", "$model", "$dtId", "temp", "humidity", "status", "t", "setpoint", "temperature", "mode", "tags",
        "location", "readings", "capacity", "occupied", "level", "name", "ts", "seq", "deviceId", "sp", "h", "tempF", "eco", "comfort",
        "2025-06-01T11:59:00Z", "2999-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "1748779140", "1748779140000", "-5", "1e20", "a/b", "a~1b",
        "tags/x", "location/x", "thermostat/setpoint", "~", "~0", "\"\"",
    ];

    private readonly FuzzTwins _twins = FuzzTwins.Create();
    private readonly MappingSet _mappings;

    [ThreadStatic]
    private static Dictionary<string, string>? t_captures;

    public PayloadFuzzTarget(string? repository)
    {
        var found = FuzzCorpus.Literals(repository, "tests/Doppel.IntegrationTests", s => s.StartsWith('{') && s.Contains("$sourceTime", StringComparison.Ordinal))
            .Select(s => "doppel/twins/room-1/telemetry\n" + s);
        Mutator = new TextMutator(FuzzCorpus.Merge(BuiltIn, found), Tokens);
        _mappings = new MappingSet(Mappings.Select((text, i) =>
        {
            var lines = new Dictionary<string, int>(StringComparer.Ordinal);
            var definition = text.StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : Server.Api.MappingEndpoints.FromYaml(text, lines).Value!;
            var mapping = IngestMapping.Parse($"m{i}", definition);
            return mapping.IsSuccess ? mapping.Value! : throw new InvalidOperationException(mapping.Error.Message);
        }));
    }

    public string Name => "payload";

    public string Description => "MQTT device messages (topic and payload through mappings or convention topics, unit conversion, model validation, history points, reported properties)";

    public TextMutator Mutator { get; }

    public string Run(string input)
    {
        var newline = input.IndexOf('\n');
        var topic = newline < 0 ? input : input[..newline];
        var payload = Encoding.UTF8.GetBytes(newline < 0 ? "" : input[(newline + 1)..]);
        var outcome = Ingest(topic, payload);
        if (outcome != "stored")
        {
            // A dead letter keeps the payload as text.
            _ = DeadLetter.PayloadText(payload);
        }

        return outcome;
    }

    private string Ingest(string topic, byte[] payload)
    {
        var captures = t_captures ??= new Dictionary<string, string>(StringComparer.Ordinal);
        var mapping = _mappings.Match(topic, captures);
        string twinId = "";
        string? component = null;
        var kind = IngestKind.Telemetry;
        if (mapping is null && !ConventionTopics.TryParse(topic, out twinId, out component, out kind))
        {
            return ConventionTopics.IsConvention(topic) ? DeadLetterReason.UnmappedTopic : "not ingested";
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException)
        {
            return DeadLetterReason.MalformedJson;
        }

        using (document)
        {
            var message = mapping is not null
                ? mapping.Apply(captures, document.RootElement)
                : IngestPipeline.FromConvention(twinId, component, kind, document.RootElement, isRedelivery: false);
            if (!message.IsSuccess)
            {
                return message.Error.Code;
            }

            return Ingest(message.Value!);
        }
    }

    private string Ingest(IngestMessage message)
    {
        if (!_twins.Graph.TryGetTwin(message.TwinId, out var twin))
        {
            return DeadLetterReason.UnknownTwin;
        }

        var values = message.Values;
        if (message.SourceUnits is { Count: > 0 } units)
        {
            var converted = ConvertUnits(twin, message.Component, values, units);
            if (!converted.IsSuccess)
            {
                return converted.Error.Code;
            }

            values = converted.Value;
        }

        if (message.SourceTime is { } sourceTime && ClockSkew.Check(sourceTime, FuzzTwins.Now, ClockSkew.Default) is { } future)
        {
            return future.Code;
        }

        var time = message.SourceTime ?? FuzzTwins.Now;
        if (message.Kind == IngestKind.Properties)
        {
            return values.ValueKind != JsonValueKind.Object ? DeadLetterReason.ValidationFailed : ReportProperties(twin, message.Component, values, time);
        }

        var valid = _twins.Operations.ValidateTelemetry(twin, message.Component, values);
        if (!valid.IsSuccess)
        {
            return DeadLetterReason.ValidationFailed;
        }

        var points = HistoryPoints.Telemetry(message.TwinId, message.Component, values, time, message.MessageId);
        var named = values.ValueKind == JsonValueKind.Object ? values.EnumerateObject().Count(m => !m.Name.StartsWith('$')) : 0;
        if (points.Count != named)
        {
            throw new FuzzViolation($"telemetry with {named} values made {points.Count} history points");
        }

        _ = Encoding.UTF8.GetBytes(values.GetRawText());
        return "stored";
    }

    /// <summary>As the twin grain applies reported properties: one add per member, with its source time, all validated at once.</summary>
    private string ReportProperties(TwinDocument twin, string? component, JsonElement values, DateTimeOffset sourceTime)
    {
        var operations = new List<JsonPatchOperation>();
        var time = JsonValue.Create(sourceTime.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in values.EnumerateObject())
        {
            if (member.Name.StartsWith('$'))
            {
                continue;
            }

            names.Add(member.Name);
            operations.Add(new("add", "/" + member.Name, JsonNode.Parse(member.Value.GetRawText())));
            operations.Add(new("add", $"/$metadata/{member.Name}/sourceTime", time.DeepClone()));
            _ = HistoryPoints.Property(twin.Id, component, member.Name, member.Value, sourceTime, null);
        }

        var patch = JsonPatchDocument.Create(operations);
        if (!patch.IsSuccess)
        {
            return DeadLetterReason.ValidationFailed;
        }

        var applied = component is null
            ? _twins.Operations.Patch(twin, patch.Value!, FuzzTwins.Now, "W/\"2\"")
            : _twins.Operations.PatchComponent(twin, component, patch.Value!, FuzzTwins.Now, "W/\"2\"");
        if (!applied.IsSuccess)
        {
            return DeadLetterReason.ValidationFailed;
        }

        // Only the named properties may change.
        var before = Scope(twin.ToJson(), component);
        var after = Scope(applied.Value!.ToJson(), component);
        foreach (var (name, value) in before)
        {
            if (!name.StartsWith('$') && !names.Contains(name) && !JsonNode.DeepEquals(value, after[name]))
            {
                throw new FuzzViolation($"reported properties changed a property they do not name: '{name}' changed from {value?.ToJsonString()} to {after[name]?.ToJsonString()} by {values.GetRawText()}");
            }
        }

        return "stored";
    }

    private static JsonObject Scope(JsonObject twin, string? component) => component is null ? twin : twin[component] as JsonObject ?? [];

    private Result<JsonElement> ConvertUnits(TwinDocument twin, string? component, JsonElement values, IReadOnlyDictionary<string, string> units)
    {
        var model = _twins.Catalog.Resolve(twin.Model);
        if (model is not null && component is not null)
        {
            model = model.Contents.TryGetValue(component, out var c) && c is Modeling.ComponentDef def ? _twins.Catalog.Resolve(def.Schema) : null;
        }

        var converted = new JsonObject();
        foreach (var member in values.EnumerateObject())
        {
            var declared = model is not null && model.Contents.TryGetValue(member.Name, out var content) ? content.Unit : null;
            if (declared is not null && units.TryGetValue(member.Name, out var given) && member.Value.ValueKind == JsonValueKind.Number)
            {
                var value = Units.Convert(member.Value.GetDouble(), given, declared);
                if (!value.IsSuccess)
                {
                    return Result<JsonElement>.Fail(DeadLetterReason.UnitMismatch, value.Error.Message);
                }

                converted[member.Name] = value.Value;
            }
            else
            {
                converted[member.Name] = JsonNode.Parse(member.Value.GetRawText());
            }
        }

        return Result<JsonElement>.Ok(JsonSerializer.SerializeToElement(converted));
    }
}
