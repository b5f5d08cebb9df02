using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Ingest;
using Doppel.Server.Ingest;
using Doppel.Server.Runtime;
using Doppel.Server.Runtime.Internal;
using Microsoft.AspNetCore.Http.Features;

namespace Doppel.Server.Api;

/// <summary>Live data over HTTP: bulk NDJSON ingestion, the dead-letter store, and a twin's live telemetry values.</summary>
internal static class IngestEndpoints
{
    private const int MaxDeadLetterPage = 1000;
    private const int MaxReportedErrors = 100;
    private const int InFlight = 512;

    public static void Map(IEndpointRouteBuilder app)
    {
        var doppel = app.MapGroup("/doppel").WithTags("Ingest");

        // One message per line: {"twinId", "component"?, "kind"? ("telemetry" | "properties"), "time"?, "messageId"?, "values": {...}}.
        doppel.MapPost("/ingest", async (HttpContext context, IngestPipeline pipeline, TwinRuntime runtime, CancellationToken ct) =>
        {
            // A backfill can be far larger than any other request.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }
            var reader = new Utf8LineReader(context.Request.Body);
            var pending = new Queue<(long Line, ValueTask<Result<IngestOutcome>> Task, byte[] Text, string TwinId)>();
            var summary = new BulkSummary();
            long line = 0;
            while (await reader.ReadLineAsync(ct))
            {
                line++;
                var text = reader.Current;
                if (IsBlank(text.Span))
                {
                    continue;
                }
                var bytes = text.ToArray();
                var parsed = ParseLine(bytes);
                if (!parsed.IsSuccess)
                {
                    await summary.DeadLetterAsync(pipeline, line, parsed.Error, bytes, null);
                    continue;
                }
                pending.Enqueue((line, pipeline.IngestAsync(parsed.Value, runtime.Time.GetUtcNow(), ct), bytes, parsed.Value.TwinId));
                if (pending.Count >= InFlight)
                {
                    await summary.CompleteAsync(pipeline, pending.Dequeue());
                }
            }
            while (pending.Count > 0)
            {
                await summary.CompleteAsync(pipeline, pending.Dequeue());
            }
            pipeline.CountBulk("http", summary.Stored, summary.Duplicates);
            return Responses.Json(new JsonObject
            {
                ["lines"] = line,
                ["stored"] = summary.Stored,
                ["duplicates"] = summary.Duplicates,
                ["deadLettered"] = summary.DeadLettered,
                ["errors"] = new JsonArray([.. summary.Errors.OrderBy(e => (long)e!["line"]!).Select(e => e!.DeepClone())]),
            });
        }).WithName("Ingest_Bulk");

        doppel.MapGet("/deadletters", async (HttpRequest request, TwinRuntime runtime, CancellationToken ct) =>
        {
            var size = Paging.PageSize(request, MaxDeadLetterPage);
            var after = Paging.ResumeAfter(request);
            var from = OptionalTime(request, "from");
            var to = OptionalTime(request, "to");
            if ((size.Error ?? after.Error ?? from.Error ?? to.Error) is { } error)
            {
                return AdtErrors.ToResult(error);
            }
            long? before = null;
            if (after.Value is { } token)
            {
                if (!long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var b))
                {
                    return AdtErrors.ToResult("BadRequest", "The continuation token is not valid.");
                }
                before = b;
            }
            var reason = Text(request, "reason");
            if (reason is not null && !DeadLetterReason.All.Contains(reason))
            {
                return AdtErrors.ToResult("InvalidArgument", $"'{reason}' is not a dead-letter reason; the reasons are {string.Join(", ", DeadLetterReason.All)}.");
            }
            var page = await runtime.DeadLetters.ReadDeadLettersAsync(
                new DeadLetterQuery(reason, Text(request, "source"), Text(request, "twinId"), from.Value, to.Value, size.Value, before), ct);
            var items = page.Letters.Select(l => (JsonNode)new JsonObject
            {
                ["time"] = l.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["source"] = l.Source,
                ["topic"] = l.Topic,
                ["clientId"] = l.ClientId,
                ["twinId"] = l.TwinId,
                ["reason"] = l.Reason,
                ["message"] = l.Message,
                ["payload"] = l.Payload,
            });
            var json = new JsonObject
            {
                ["value"] = new JsonArray([.. items]),
                ["total"] = page.Total,
                ["nextLink"] = page.Next is { } next ? Paging.NextLink(request, next.ToString(CultureInfo.InvariantCulture)) : null,
            };
            return Responses.Json(json);
        }).WithName("DeadLetters_List");

        doppel.MapGet("/twins/{id}/live", (string id, TwinRuntime runtime) =>
        {
            if (!runtime.Graph.TryGetTwin(id, out _))
            {
                return AdtErrors.ToResult("DigitalTwinNotFound", $"There is no digital twin with id '{id}'.");
            }
            var telemetry = new JsonObject();
            foreach (var (name, point) in runtime.Live.Get(id).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                telemetry[name] = new JsonObject
                {
                    ["value"] = point.Json is { } j ? JsonNode.Parse(j) : JsonValue.Create(point.Number),
                    ["sourceTime"] = point.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                };
            }
            return Responses.Json(new JsonObject { ["$dtId"] = id, ["telemetry"] = telemetry });
        }).WithName("Twins_GetLive");
    }

    private static Result<IngestMessage> ParseLine(byte[] line)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(line);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return Result<IngestMessage>.Fail(DeadLetterReason.MalformedJson, $"Not valid JSON: {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Result<IngestMessage>.Fail(DeadLetterReason.MalformedJson, "Each line must be a JSON object.");
        }
        string? Str(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (Str("twinId") is not { Length: > 0 } twinId)
        {
            return Result<IngestMessage>.Fail(DeadLetterReason.ValidationFailed, "\"twinId\" (a string) is required.");
        }
        var kind = Str("kind") ?? "telemetry";
        if (kind is not ("telemetry" or "properties"))
        {
            return Result<IngestMessage>.Fail(DeadLetterReason.ValidationFailed, $"\"kind\" must be \"telemetry\" or \"properties\", not '{kind}'.");
        }
        if (!root.TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Object)
        {
            return Result<IngestMessage>.Fail(DeadLetterReason.ValidationFailed, "\"values\" (an object of DTDL names to values) is required.");
        }
        DateTimeOffset? time = null;
        if (root.TryGetProperty("time", out var t))
        {
            time = IngestMapping.ReadTime(t);
            if (time is null)
            {
                return Result<IngestMessage>.Fail(DeadLetterReason.ValidationFailed, "\"time\" must be an RFC 3339 date-time or a Unix time in seconds or milliseconds.");
            }
        }
        var messageId = root.TryGetProperty("messageId", out var m) && m.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? (m.ValueKind == JsonValueKind.String ? m.GetString() : m.GetRawText())
            : null;
        return Result<IngestMessage>.Ok(new IngestMessage(twinId, Str("component"), kind == "telemetry" ? IngestKind.Telemetry : IngestKind.Properties, values, time, messageId));
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim((byte)' ').Trim((byte)'\r').IsEmpty;

    private static string? Text(HttpRequest request, string name) => request.Query[name].ToString() is { Length: > 0 } s ? s : null;

    private static Result<DateTimeOffset?> OptionalTime(HttpRequest request, string name)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return Result<DateTimeOffset?>.Ok(null);
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? Result<DateTimeOffset?>.Ok(t)
            : Result<DateTimeOffset?>.Fail("InvalidArgument", $"'{name}' must be an RFC 3339 date-time, got '{text}'.");
    }

    private sealed class BulkSummary
    {
        public long Stored { get; private set; }

        public long Duplicates { get; private set; }

        public long DeadLettered { get; private set; }

        public JsonArray Errors { get; } = [];

        public async Task CompleteAsync(IngestPipeline pipeline, (long Line, ValueTask<Result<IngestOutcome>> Task, byte[] Text, string TwinId) item)
        {
            var result = await item.Task;
            if (!result.IsSuccess)
            {
                await DeadLetterAsync(pipeline, item.Line, result.Error, item.Text, item.TwinId);
            }
            else if (result.Value == IngestOutcome.Duplicate)
            {
                Duplicates++;
            }
            else
            {
                Stored++;
            }
        }

        public async Task DeadLetterAsync(IngestPipeline pipeline, long line, DoppelError error, byte[] text, string? twinId)
        {
            DeadLettered++;
            if (Errors.Count < MaxReportedErrors)
            {
                Errors.Add(new JsonObject { ["line"] = line, ["reason"] = error.Code, ["message"] = error.Message });
            }
            await pipeline.DeadLetterAsync("http", "/doppel/ingest", null, twinId, error.Code, $"Line {line}: {error.Message}", new ReadOnlySequence<byte>(text), System.Diagnostics.Stopwatch.GetTimestamp());
        }
    }
}
