using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Doppel.Ingest;

/// <summary>
/// Binds a topic template and a payload shape to a twin: which twin (from topic captures or a JSON path), which DTDL
/// names get which payload values (with their units), and where the timestamp and message id are.
/// </summary>
/// <remarks>
/// The definition, as JSON (YAML is converted to the same shape):
/// <code>
/// { "topic": "factory/{line}/{machine}/telemetry", "twinId": "{line}-{machine}", "kind": "telemetry",
///   "timestamp": "$.ts", "messageId": "$.seq",
///   "values": { "temperature": { "path": "$.temp_f", "unit": "degreeFahrenheit" }, "pressure": "$.p" } }
/// </code>
/// Without <c>values</c>, the payload is taken as DTDL-shaped JSON, as on the convention topics.
/// </remarks>
public sealed class IngestMapping
{
    private readonly string[] _twinIdParts; // alternating literal, capture, literal...; null when a JSON path gives the id
    private readonly JsonPath? _twinIdPath;
    private readonly string? _component;
    private readonly JsonPath? _timestamp;
    private readonly JsonPath? _messageId;
    private readonly (string Name, JsonPath Path, string? Unit)[]? _values;
    private readonly Dictionary<string, string>? _units;

    private IngestMapping(string id, TopicTemplate topic, IngestKind kind, string[] twinIdParts, JsonPath? twinIdPath, string? component,
        JsonPath? timestamp, JsonPath? messageId, (string, JsonPath, string?)[]? values, JsonObject definition)
    {
        Id = id;
        Topic = topic;
        Kind = kind;
        _twinIdParts = twinIdParts;
        _twinIdPath = twinIdPath;
        _component = component;
        _timestamp = timestamp;
        _messageId = messageId;
        _values = values;
        Definition = definition;
        if (values is not null && values.Any(v => v.Item3 is not null))
        {
            _units = values.Where(v => v.Item3 is not null).ToDictionary(v => v.Item1, v => v.Item3!, StringComparer.Ordinal);
        }
    }

    public string Id { get; }

    public TopicTemplate Topic { get; }

    public IngestKind Kind { get; }

    /// <summary>The definition as given (normalised to JSON), returned by the API.</summary>
    public JsonObject Definition { get; }

    /// <summary>How specific the topic is (literal levels), so that a more specific mapping wins over a broad one.</summary>
    public int Specificity => Topic.Filter.Split('/').Count(l => l is not ("+" or "#"));

    /// <summary>The keys a definition may have.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["topic", "twinId", "kind", "component", "timestamp", "messageId", "values"];

    /// <summary>The keys of one entry of <c>values</c> written as an object.</summary>
    public static IReadOnlyList<string> ValueKeys { get; } = ["path", "unit"];

    /// <summary>Compiles a definition; errors name the field (and its line, when <paramref name="lineOf"/> knows it) and what is wrong with it.</summary>
    /// <param name="id">The mapping's id.</param>
    /// <param name="definition">The definition as JSON (YAML converted to it).</param>
    /// <param name="lineOf">The line where a key is written, by its path (<c>values.temperature.unit</c>), for messages; null for JSON.</param>
    /// <param name="strict">Refuse unknown keys (a misspelled <c>unti</c> would otherwise be ignored); off only to load definitions stored before keys were checked.</param>
    public static Result<IngestMapping> Parse(string id, JsonObject definition, Func<string, int?>? lineOf = null, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(definition);
        string? Text(string field) => definition[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        Result<IngestMapping> Fail(string message) => Result<IngestMapping>.Fail("InvalidArgument", $"Mapping '{id}': {message}");
        // "values.temperature.unit (line 7)": a field and, from YAML, its line.
        string Where(string path) => lineOf?.Invoke(path) is { } line ? $"{path} (line {line})" : path;
        // Where an unknown key sits: the object holding it, and the key's own line.
        string KeyAt(string parent, string key) => lineOf?.Invoke(parent.Length == 0 ? key : $"{parent}.{key}") is { } line
            ? (parent.Length == 0 ? $"line {line}" : $"{parent} (line {line})")
            : parent;

        if (LoneSurrogateIn(definition) is { } broken)
        {
            // JSON and YAML escapes (\uD800) can spell one; paths and names must become UTF-8 when payloads are read.
            return Fail($"{(broken.Length == 0 ? "a key or text" : broken)} is not valid Unicode text: it holds a lone UTF-16 surrogate.");
        }
        foreach (var (name, _) in definition)
        {
            if (strict && name != "id" && !Keys.Contains(name))
            {
                return Fail(NearestName.UnknownKey(KeyAt("", name), name, [.. Keys]));
            }
        }
        if (Text("topic") is not { } topicText)
        {
            return Fail("\"topic\" (a topic template such as factory/{line}/{machine}/telemetry) is required.");
        }
        var topic = TopicTemplate.Parse(topicText);
        if (!topic.IsSuccess)
        {
            return Fail(topic.Error.Message);
        }
        var kindText = Text("kind") ?? "telemetry";
        if (kindText is not ("telemetry" or "properties"))
        {
            return Fail($"\"kind\" must be \"telemetry\" or \"properties\", not '{kindText}'.");
        }
        if (Text("twinId") is not { } twinIdText || twinIdText.Length == 0)
        {
            return Fail("\"twinId\" is required: a template over the topic's captures such as \"{line}-{machine}\", or a JSON path such as \"$.deviceId\".");
        }
        JsonPath? twinIdPath = null;
        var parts = Array.Empty<string>();
        if (twinIdText.StartsWith('$'))
        {
            var path = JsonPath.Parse(twinIdText);
            if (!path.IsSuccess)
            {
                return Fail("twinId: " + path.Error.Message);
            }
            twinIdPath = path.Value;
        }
        else
        {
            var template = SplitTemplate(twinIdText, topic.Value);
            if (!template.IsSuccess)
            {
                return Fail("twinId: " + template.Error.Message);
            }
            parts = template.Value;
        }
        var timestamp = OptionalPath("timestamp");
        var messageId = OptionalPath("messageId");
        if (timestamp is { IsSuccess: false } || messageId is { IsSuccess: false })
        {
            return Fail((timestamp?.Error ?? messageId!.Value.Error!).Message);
        }
        (string, JsonPath, string?)[]? values = null;
        if (definition["values"] is { } valuesNode)
        {
            if (valuesNode is not JsonObject valuesObject || valuesObject.Count == 0)
            {
                return Fail("\"values\" must be an object of DTDL names to JSON paths or {\"path\", \"unit\"} objects.");
            }
            var list = new List<(string, JsonPath, string?)>();
            foreach (var (name, node) in valuesObject)
            {
                var pathText = node is JsonValue pv && pv.TryGetValue<string>(out var p) ? p
                    : node is JsonObject o && o["path"] is JsonValue op && op.TryGetValue<string>(out var q) ? q : null;
                if (strict && node is JsonObject entry && entry.Select(e => e.Key).FirstOrDefault(k => !ValueKeys.Contains(k)) is { } unknown)
                {
                    return Fail(NearestName.UnknownKey(KeyAt($"values.{name}", unknown), unknown, [.. ValueKeys]));
                }
                if (pathText is null)
                {
                    return Fail($"{Where($"values.{name}")} must be a JSON path string or an object with a \"path\".");
                }
                var path = JsonPath.Parse(pathText);
                if (!path.IsSuccess)
                {
                    return Fail($"values.{name}: {path.Error.Message}");
                }
                string? unit = null;
                if (node is JsonObject withUnit && withUnit["unit"] is { } unitNode)
                {
                    unit = unitNode is JsonValue uv && uv.TryGetValue<string>(out var u) ? u : null;
                    if (unit is null || !Units.IsKnown(unit))
                    {
                        return Fail($"{Where($"values.{name}.unit")} '{unitNode.ToJsonString()}' is not a DTDL unit Doppel converts (e.g. degreeFahrenheit, kilopascal, kilometrePerHour).");
                    }
                }
                list.Add((name, path.Value, unit));
            }
            values = [.. list];
        }
        return Result<IngestMapping>.Ok(new IngestMapping(id, topic.Value, kindText == "telemetry" ? IngestKind.Telemetry : IngestKind.Properties,
            parts, twinIdPath, Text("component"), timestamp?.Value, messageId?.Value, values, (JsonObject)definition.DeepClone()));

        Result<JsonPath>? OptionalPath(string field)
        {
            if (Text(field) is not { } text)
            {
                return null;
            }
            var parsed = JsonPath.Parse(text);
            return parsed.IsSuccess ? parsed : Result<JsonPath>.Fail(parsed.Error.Code, $"{field}: {parsed.Error.Message}");
        }
    }

    /// <summary>Where the definition holds a lone surrogate, or null. System.Text.Json cannot even read a JSON-escaped one as a string: it throws.</summary>
    private static string? LoneSurrogateIn(JsonObject definition)
    {
        try
        {
            return LoneSurrogate(definition, "");
        }
        catch (InvalidOperationException)
        {
            return "";
        }
    }

    /// <summary>The path of the first key or text in <paramref name="node"/> with a lone surrogate, or null.</summary>
    private static string? LoneSurrogate(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    var at = path.Length == 0 ? key : $"{path}.{key}";
                    if (HasLoneSurrogate(key))
                    {
                        return path;
                    }
                    if (LoneSurrogate(value, at) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (LoneSurrogate(a[i], $"{path}[{i}]") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValue v when v.TryGetValue<string>(out var text) && HasLoneSurrogate(text):
                return path;
            default:
                return null;
        }
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Turns a payload that arrived on a topic this mapping matched into a message for one twin.</summary>
    public Result<IngestMessage> Apply(IReadOnlyDictionary<string, string> captures, JsonElement payload, bool isRedelivery = false)
    {
        ArgumentNullException.ThrowIfNull(captures);
        string twinId;
        if (_twinIdPath is not null)
        {
            if (!_twinIdPath.TrySelect(payload, out var idValue) || idValue.ValueKind != JsonValueKind.String)
            {
                return Fail($"the twin id path {_twinIdPath} does not select a string in the payload");
            }
            twinId = idValue.GetString()!;
        }
        else
        {
            twinId = string.Concat(_twinIdParts.Select((part, i) => i % 2 == 1 ? captures[part] : part));
        }

        DateTimeOffset? sourceTime = null;
        if (_timestamp is not null)
        {
            if (!_timestamp.TrySelect(payload, out var t) || ReadTime(t) is not { } time)
            {
                return Fail($"the timestamp path {_timestamp} does not select an RFC 3339 string or a Unix time in seconds or milliseconds");
            }
            sourceTime = time;
        }
        string? messageId = null;
        if (_messageId is not null && _messageId.TrySelect(payload, out var m) && m.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            messageId = m.ValueKind == JsonValueKind.String ? m.GetString() : m.GetRawText();
        }

        JsonElement values;
        if (_values is null)
        {
            values = payload;
        }
        else
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var (name, path, _) in _values)
                {
                    if (path.TrySelect(payload, out var value))
                    {
                        writer.WritePropertyName(name);
                        value.WriteTo(writer);
                    }
                }
                writer.WriteEndObject();
            }
            using var document = JsonDocument.Parse(buffer.WrittenMemory);
            values = document.RootElement.Clone();
            if (!values.EnumerateObject().Any())
            {
                return Fail($"none of the value paths ({string.Join(", ", _values.Select(v => v.Path.Text))}) selects anything in the payload");
            }
        }
        return Result<IngestMessage>.Ok(new IngestMessage(twinId, _component, Kind, values, sourceTime, messageId)
        {
            SourceUnits = _units,
            IsRedelivery = isRedelivery,
        });

        Result<IngestMessage> Fail(string why) => Result<IngestMessage>.Fail(DeadLetterReason.MappingFailed, $"Mapping '{Id}': {why}.");
    }

    /// <summary>An RFC 3339 string, or a Unix time: seconds, or milliseconds when the number is too large to be seconds.</summary>
    public static DateTimeOffset? ReadTime(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number) && number >= 0)
        {
            var milliseconds = number > 1e11 ? number : number * 1000;
            return milliseconds < 253_402_300_800_000 ? DateTimeOffset.FromUnixTimeMilliseconds(0).AddTicks((long)(milliseconds * TimeSpan.TicksPerMillisecond)) : null;
        }
        return null;
    }

    // "{line}-{machine}" -> ["", "line", "-", "machine", ""]: literals at even positions, capture names at odd ones.
    private static Result<string[]> SplitTemplate(string text, TopicTemplate topic)
    {
        var parts = new List<string>();
        var position = 0;
        while (true)
        {
            var open = text.IndexOf('{', position);
            if (open < 0)
            {
                parts.Add(text[position..]);
                return Result<string[]>.Ok([.. parts]);
            }
            var close = text.IndexOf('}', open);
            if (close < 0)
            {
                return Result<string[]>.Fail("InvalidArgument", $"'{{' at position {open + 1} of '{text}' is not closed.");
            }
            var name = text[(open + 1)..close];
            if (!topic.CaptureNames.Contains(name))
            {
                return Result<string[]>.Fail("InvalidArgument", $"'{{{name}}}' is not a capture of the topic template '{topic.Text}' (captures: {string.Join(", ", topic.CaptureNames)}).");
            }
            parts.Add(text[position..open]);
            parts.Add(name);
            position = close + 1;
        }
    }
}
