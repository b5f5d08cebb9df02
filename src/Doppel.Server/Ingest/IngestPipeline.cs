using System.Buffers;
using System.Diagnostics;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Doppel.Events;
using Doppel.History;
using Doppel.Ingest;
using Doppel.Modeling;
using Doppel.Security;
using Doppel.Server.Observability;
using Doppel.Server.Runtime;
using Doppel.Twins;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Ingest;

/// <summary>
/// Turns device messages into twin state and history: resolves the twin (mapping or convention topic), validates against
/// its model, stores durably, then updates live values and fans out events. Every failure becomes a dead letter with
/// its reason; nothing a device sends can stop the pipeline. A message is acknowledged only after this returns.
/// </summary>
public sealed class IngestPipeline(TwinRuntime runtime, IGrainFactory grains, DoppelMetrics metrics, IOptions<DoppelServerOptions> options)
{
    [ThreadStatic]
    private static Dictionary<string, string>? t_captures;

    /// <summary>An MQTT publish, from the embedded broker or the bridge.</summary>
    /// <param name="source"><c>mqtt</c> or <c>bridge</c>.</param>
    /// <param name="clientId">The publishing client.</param>
    /// <param name="topic">The topic it was published on.</param>
    /// <param name="payload">The payload bytes.</param>
    /// <param name="messageId">An id the publisher gave (MQTT 5 user property <c>Message-Id</c>), or null.</param>
    /// <param name="isRedelivery">The DUP flag.</param>
    /// <param name="ct">Cancels waiting (not the store: once queued, a point commits with its group).</param>
    /// <param name="access">What the sender may write; null for a trusted source (the bridge, Doppel itself).</param>
    public async ValueTask<IngestOutcome> PublishAsync(string source, string? clientId, string topic, ReadOnlySequence<byte> payload, string? messageId, bool isRedelivery, CancellationToken ct, AccessRules? access = null)
    {
        var started = Stopwatch.GetTimestamp();
        var arrival = runtime.Time.GetUtcNow();
        var captures = t_captures ??= new Dictionary<string, string>(StringComparer.Ordinal);
        var mapping = runtime.Mappings.Match(topic, captures);
        string twinId = "";
        string? component = null;
        var kind = IngestKind.Telemetry;
        if (mapping is null && !ConventionTopics.TryParse(topic, out twinId, out component, out kind))
        {
            return ConventionTopics.IsConvention(topic)
                ? await DeadLetterAsync(source, topic, clientId, ConventionTwinId(topic), DeadLetterReason.UnmappedTopic,
                    $"'{topic}' is under doppel/twins/ but is not doppel/twins/{{twinId}}[/components/{{component}}]/telemetry or /properties, and no mapping matches it.", payload, started)
                : IngestOutcome.NotIngested;
        }
        if (payload.Length > options.Value.MaxMessageBytes)
        {
            return await DeadLetterAsync(source, topic, clientId, mapping is null ? twinId : null, DeadLetterReason.PayloadTooLarge,
                $"The payload is {payload.Length} bytes; the limit is {options.Value.MaxMessageBytes}.", payload, started);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException e)
        {
            return await DeadLetterAsync(source, topic, clientId, mapping is null ? twinId : null, DeadLetterReason.MalformedJson,
                $"The payload is not valid JSON: {e.Message}", payload, started);
        }
        using (document)
        {
            IngestMessage message;
            if (mapping is not null)
            {
                var applied = mapping.Apply(captures, document.RootElement, isRedelivery);
                if (!applied.IsSuccess)
                {
                    return await DeadLetterAsync(source, topic, clientId, null, applied.Error.Code, applied.Error.Message, payload, started);
                }
                message = applied.Value;
            }
            else
            {
                var convention = FromConvention(twinId, component, kind, document.RootElement, isRedelivery);
                if (!convention.IsSuccess)
                {
                    return await DeadLetterAsync(source, topic, clientId, twinId, convention.Error.Code, convention.Error.Message, payload, started);
                }
                message = convention.Value;
            }
            if (messageId is not null)
            {
                message = message with { MessageId = messageId, IdIsDerived = false };
            }
            else if (message.MessageId is null)
            {
                // No id of its own: a content-derived one lets a DUP redelivery be recognised (and only a redelivery is checked against it).
                message = message with { MessageId = DerivedId(clientId, topic, payload), IdIsDerived = true };
            }
            var outcome = await IngestAsync(message, arrival, ct, access);
            if (!outcome.IsSuccess)
            {
                var kept = await DeadLetterAsync(source, topic, clientId, message.TwinId, outcome.Error.Code, outcome.Error.Message, payload, started);
                return outcome.Error.Code == DeadLetterReason.Forbidden ? IngestOutcome.Denied : kept;
            }
            Count(source, outcome.Value, started);
            return outcome.Value;
        }
    }

    /// <summary>Ingests one resolved message; an expected failure comes back as an error whose code is a <see cref="DeadLetterReason"/>.</summary>
    /// <param name="message">The message, resolved to its twin.</param>
    /// <param name="arrival">When it arrived (its time when it carries none).</param>
    /// <param name="ct">Cancels waiting.</param>
    /// <param name="access">What the sender may write; null for a trusted source.</param>
    public async ValueTask<Result<IngestOutcome>> IngestAsync(IngestMessage message, DateTimeOffset arrival, CancellationToken ct, AccessRules? access = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!runtime.Graph.TryGetTwin(message.TwinId, out var twin))
        {
            return Result<IngestOutcome>.Fail(DeadLetterReason.UnknownTwin, $"There is no digital twin with id '{message.TwinId}'.");
        }
        if (access is not null && Refusal(access, twin, message) is { } refused)
        {
            metrics.Denied.Add(1, new KeyValuePair<string, object?>("resource", message.Kind == IngestKind.Properties ? "properties" : "telemetry"));
            return Result<IngestOutcome>.Fail(DeadLetterReason.Forbidden, refused);
        }
        var values = message.Values;
        if (message.SourceUnits is { Count: > 0 } units)
        {
            var converted = ConvertUnits(twin, message.Component, values, units);
            if (!converted.IsSuccess)
            {
                return Result<IngestOutcome>.Fail(converted.Error);
            }
            values = converted.Value;
        }
        if (message.SourceTime is { } sourceTime && ClockSkew.Check(sourceTime, arrival, options.Value.MaxClockSkew) is { } future)
        {
            return Result<IngestOutcome>.Fail(future);
        }
        var time = message.SourceTime ?? arrival;
        var check = message.IdIsDerived && !message.IsRedelivery ? DuplicateCheck.RecordOnly : DuplicateCheck.Skip;
        if (message.Kind == IngestKind.Properties)
        {
            if (values.ValueKind != JsonValueKind.Object)
            {
                return Result<IngestOutcome>.Fail(DeadLetterReason.ValidationFailed, "Reported properties must be a JSON object of property names to values.");
            }
            var written = await grains.GetGrain<ITwinGrain>(message.TwinId).ReportProperties(message.Component, values.GetRawText(), time, message.MessageId, check == DuplicateCheck.Skip);
            if (written.Error is { } error)
            {
                return Result<IngestOutcome>.Fail(error.Code == "DigitalTwinNotFound" ? DeadLetterReason.UnknownTwin : DeadLetterReason.ValidationFailed, error.Message);
            }
            metrics.Points.Add(values.EnumerateObject().Count());
            return Result<IngestOutcome>.Ok(IngestOutcome.Stored);
        }

        var valid = runtime.Operations.ValidateTelemetry(twin, message.Component, values);
        if (!valid.IsSuccess)
        {
            return Result<IngestOutcome>.Fail(DeadLetterReason.ValidationFailed, valid.Error.Message);
        }
        var points = HistoryPoints.Telemetry(message.TwinId, message.Component, values, time, message.MessageId);
        var stored = await runtime.History.AppendAsync(points, check, ct);
        if (stored == 0 && points.Count > 0)
        {
            return Result<IngestOutcome>.Ok(IngestOutcome.Duplicate);
        }
        metrics.Points.Add(stored);
        runtime.Live.Apply(points);
        runtime.OnTelemetryStored(twin, points);
        if (runtime.Events.HasSubscribers)
        {
            runtime.Events.Publish(TwinEvents.Telemetry(message.TwinId, twin.Model.Value, message.Component, Encoding.UTF8.GetBytes(values.GetRawText()), time, message.MessageId));
        }
        return Result<IngestOutcome>.Ok(IngestOutcome.Stored);
    }

    /// <summary>Stores a dead letter durably and counts it.</summary>
    /// <summary>Why the sender may not write this message to the twin; null when it may.</summary>
    private static string? Refusal(AccessRules access, TwinDocument twin, IngestMessage message)
    {
        var view = new TwinView(twin);
        if (message.Kind != IngestKind.Properties)
        {
            return access.AllowsEverywhere(Resource.Telemetry, Access.Write) || access.Allows(Resource.Telemetry, Access.Write, view)
                ? null : $"{access.Subject.Id} may not send telemetry to twin '{twin.Id}'.";
        }
        if (access.AllowsEverywhere(Resource.Properties, Access.Write))
        {
            return null;
        }
        if (message.Component is { } component)
        {
            return access.AllowsProperty(Access.Write, view, component) ? null : $"{access.Subject.Id} may not write component '{component}' of twin '{twin.Id}'.";
        }
        if (message.Values.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in message.Values.EnumerateObject())
            {
                if (!access.AllowsProperty(Access.Write, view, property.Name))
                {
                    return $"{access.Subject.Id} may not write property '{property.Name}' of twin '{twin.Id}'.";
                }
            }
        }
        return null;
    }

    public async ValueTask<IngestOutcome> DeadLetterAsync(string source, string topic, string? clientId, string? twinId, string reason, string why, ReadOnlySequence<byte> payload, long started)
    {
        var text = DeadLetter.PayloadText(payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray());
        await runtime.DeadLetters.AppendDeadLettersAsync([new DeadLetter(runtime.Time.GetUtcNow(), source, topic, clientId, twinId, reason, why, text)]);
        metrics.DeadLetters.Add(1, new KeyValuePair<string, object?>("reason", reason));
        Count(source, IngestOutcome.DeadLettered, started);
        return IngestOutcome.DeadLettered;
    }

    /// <summary>Counts the messages a bulk request stored or skipped as duplicates (its dead letters are counted as they are written).</summary>
    public void CountBulk(string source, long stored, long duplicates)
    {
        metrics.Messages.Add(stored, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("outcome", "stored"));
        metrics.Messages.Add(duplicates, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("outcome", "duplicate"));
    }

    private void Count(string source, IngestOutcome outcome, long started)
    {
        var outcomeTag = outcome switch
        {
            IngestOutcome.Stored => "stored",
            IngestOutcome.Duplicate => "duplicate",
            _ => "dead_letter",
        };
        metrics.Messages.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("outcome", outcomeTag));
        metrics.Latency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("source", source));
    }

    /// <summary>
    /// A convention payload is DTDL-shaped JSON; <c>$sourceTime</c> and <c>$messageId</c> members (never DTDL names) carry
    /// the measurement time and the message id.
    /// </summary>
    internal static Result<IngestMessage> FromConvention(string twinId, string? component, IngestKind kind, JsonElement payload, bool isRedelivery)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return Result<IngestMessage>.Fail(DeadLetterReason.ValidationFailed, "A convention-topic payload must be a JSON object of DTDL names to values.");
        }
        DateTimeOffset? sourceTime = null;
        string? messageId = null;
        var hasMetadata = false;
        foreach (var member in payload.EnumerateObject())
        {
            if (!member.Name.StartsWith('$'))
            {
                continue;
            }
            hasMetadata = true;
            if (member.NameEquals("$sourceTime"))
            {
                sourceTime = IngestMapping.ReadTime(member.Value);
                if (sourceTime is null)
                {
                    return Result<IngestMessage>.Fail(DeadLetterReason.ValidationFailed, "$sourceTime must be an RFC 3339 date-time or a Unix time in seconds or milliseconds.");
                }
            }
            else if (member.NameEquals("$messageId") && member.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            {
                messageId = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : member.Value.GetRawText();
            }
        }
        var values = hasMetadata ? WithoutMetadata(payload) : payload;
        return Result<IngestMessage>.Ok(new IngestMessage(twinId, component, kind, values, sourceTime, messageId) { IsRedelivery = isRedelivery });
    }

    private static JsonElement WithoutMetadata(JsonElement payload)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var member in payload.EnumerateObject())
            {
                if (!member.Name.StartsWith('$'))
                {
                    member.WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Converts numeric values given in a mapping's units to the units the model declares (left as given where it declares none).</summary>
    private Result<JsonElement> ConvertUnits(TwinDocument twin, string? component, JsonElement values, IReadOnlyDictionary<string, string> units)
    {
        var model = runtime.Models.Resolve(twin.Model);
        if (model is not null && component is not null)
        {
            model = model.Contents.TryGetValue(component, out var c) && c is ComponentDef def ? runtime.Models.Resolve(def.Schema) : null;
        }
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var member in values.EnumerateObject())
            {
                var declared = model is not null && model.Contents.TryGetValue(member.Name, out var content) ? content.Unit : null;
                if (declared is not null && units.TryGetValue(member.Name, out var given) && member.Value.ValueKind == JsonValueKind.Number)
                {
                    var converted = Units.Convert(member.Value.GetDouble(), given, declared);
                    if (!converted.IsSuccess)
                    {
                        return Result<JsonElement>.Fail(DeadLetterReason.UnitMismatch, $"'{member.Name}': {converted.Error.Message}");
                    }
                    writer.WriteNumber(member.Name, converted.Value);
                }
                else
                {
                    member.WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return Result<JsonElement>.Ok(document.RootElement.Clone());
    }

    // doppel/twins/{twinId}/anything: the twin it was probably meant for, to find its dead letters by twin.
    private static string? ConventionTwinId(string topic)
    {
        var rest = topic.AsSpan(ConventionTopics.Prefix.Length);
        var slash = rest.IndexOf('/');
        return slash > 0 ? rest[..slash].ToString() : null;
    }

    private static string DerivedId(string? clientId, string topic, ReadOnlySequence<byte> payload)
    {
        var hash = new XxHash3();
        foreach (var segment in payload)
        {
            hash.Append(segment.Span);
        }
        return $"dup:{clientId}:{topic}:{hash.GetCurrentHashAsUInt64():x16}";
    }
}
