using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.History;
using Doppel.Modeling;
using Doppel.Query;
using Doppel.Security;
using Doppel.Server.Audit.Internal;
using Doppel.Server.Runtime;
using Doppel.Server.Security;
using Doppel.Twins;

namespace Doppel.Server.Api;

/// <summary>Doppel's history extension (<c>/doppel/history</c>): raw points, bucket aggregates, retention, downsampling and Parquet export.</summary>
internal static class HistoryEndpoints
{
    private const int MaxPageSize = 10_000;

    public static void Map(IEndpointRouteBuilder app)
    {
        var history = app.MapGroup("/doppel/history").WithTags("History");

        history.MapGet("/twins/{id}", async (string id, HttpRequest request, TwinRuntime runtime, CancellationToken ct) =>
        {
            if (Denied(request.HttpContext, runtime, id) is { } denied)
            {
                return denied;
            }
            var range = Range(request);
            var size = Paging.PageSize(request, MaxPageSize);
            var after = Paging.ResumeAfter(request);
            if ((range.Error ?? size.Error ?? after.Error) is { } error)
            {
                return AdtErrors.ToResult(error);
            }
            var cursor = Cursor(after.Value);
            if (after.Value is not null && cursor is null)
            {
                return AdtErrors.ToResult("BadRequest", "The continuation token is not valid.");
            }
            var (from, to) = range.Value;
            var page = await runtime.History.ReadAsync(new HistoryRead([id], List(request, "names"), from, to, size.Value, cursor), ct);
            var next = page.Next is { } n ? Paging.NextLink(request, string.Create(CultureInfo.InvariantCulture, $"{n.Time.UtcTicks}:{n.Sequence}")) : null;
            return Responses.Page(page.Points.Where(p => Readable(request.HttpContext, runtime, p.TwinId, p.Name)).Select(ToJson), next);
        }).WithName("History_GetTwin");

        // Where a twin stood at a past time: the newest value of each of its series at or before it.
        history.MapGet("/twins/{id}/at", async (string id, HttpRequest request, TwinRuntime runtime, CancellationToken ct) =>
        {
            if (Denied(request.HttpContext, runtime, id) is { } denied)
            {
                return denied;
            }
            if (request.Query["time"].ToString() is not { Length: > 0 } text)
            {
                return AdtErrors.ToResult("InvalidArgument", "'time' (an RFC 3339 date-time) is required.");
            }
            var at = Time(text, default, "time");
            if (!at.IsSuccess)
            {
                return AdtErrors.ToResult(at.Error);
            }
            var points = await runtime.History.LatestAtAsync([id], List(request, "names"), at.Value, ct);
            return Responses.Json(new JsonObject
            {
                ["twinId"] = id,
                ["time"] = Timestamp(at.Value),
                ["value"] = new JsonArray([.. points.Where(p => Readable(request.HttpContext, runtime, p.TwinId, p.Name)).Select(ToJson)]),
            });
        }).WithName("History_GetTwinAt");

        history.MapGet("/aggregates", async (HttpRequest request, TwinRuntime runtime, QueryEngine engine, CancellationToken ct) =>
        {
            var range = Range(request);
            var bucket = HistoryDuration.Parse(request.Query["bucket"], "bucket");
            var aggregates = HistoryAggregates.Parse(request.Query["aggregates"]);
            var twins = Permitted(request, runtime, Twins(request, runtime, engine, ct));
            if ((range.Error ?? bucket.Error ?? aggregates.Error ?? twins.Error) is { } error)
            {
                return AdtErrors.ToResult(error);
            }
            var (from, to) = range.Value;
            var buckets = await runtime.History.AggregateAsync(new HistoryAggregation(twins.Value!, List(request, "names"), from, to, bucket.Value, aggregates.Value!), ct);
            var value = new JsonArray();
            foreach (var b in buckets.Where(b => Readable(request.HttpContext, runtime, b.TwinId, b.Name)))
            {
                var row = new JsonObject { ["twinId"] = b.TwinId, ["name"] = b.Name, ["start"] = Timestamp(b.Start) };
                foreach (var (aggregate, v) in b.Values)
                {
                    row[HistoryAggregates.Name(aggregate)] = v is { } d ? JsonValue.Create(d) : null;
                }
                value.Add(row);
            }
            return Responses.Json(new JsonObject { ["value"] = value, ["bucket"] = bucket.Value.ToString("c", CultureInfo.InvariantCulture) });
        }).WithName("History_Aggregate");

        // The download form of export: the file streams back to the caller (CSV or Parquet), limited to what it may read.
        history.MapGet("/export", async (HttpRequest request, TwinRuntime runtime, QueryEngine engine, CancellationToken ct) =>
        {
            var format = request.Query["format"].ToString() is { Length: > 0 } f ? f.ToLowerInvariant() : "csv";
            if (format is not ("csv" or "parquet"))
            {
                return AdtErrors.ToResult("InvalidArgument", $"'format' must be csv or parquet, not '{request.Query["format"]}'.");
            }
            var range = Range(request);
            var twins = Permitted(request, runtime, Twins(request, runtime, engine, ct));
            if ((range.Error ?? twins.Error) is { } error)
            {
                return AdtErrors.ToResult(error);
            }
            foreach (var id in List(request, "twinIds"))
            {
                if (Denied(request.HttpContext, runtime, id) is { } denied)
                {
                    return denied;
                }
            }
            var (from, to) = range.Value;
            var read = new HistoryRead(twins.Value!, List(request, "names"), from, to, MaxPageSize);
            var name = string.Create(CultureInfo.InvariantCulture, $"doppel-history-{runtime.Time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}.{format}");
            if (format == "csv")
            {
                return new HistoryCsv(runtime, read, name);
            }
            if (request.HttpContext.Access().MayHideProperties)
            {
                return AdtErrors.ToResult(new DoppelError("Forbidden",
                    "A policy hides some properties from you, and a Parquet export cannot leave them out point by point: export as CSV (format=csv), which does."), StatusCodes.Status403Forbidden);
            }
            // DuckDB writes Parquet to a file: a temporary one, deleted once it has been sent.
            var path = Path.Combine(Path.GetTempPath(), $"doppel-export-{Guid.NewGuid():N}.parquet");
            try
            {
                await runtime.History.ExportParquetAsync(read, path, ct);
                var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                return Results.File(stream, "application/vnd.apache.parquet", name);
            }
            catch
            {
                File.Delete(path);
                throw;
            }
        }).WithName("History_Download");

        history.MapPost("/export", async (HttpRequest request, TwinRuntime runtime, QueryEngine engine, CancellationToken ct) =>
        {
            var body = RequestBody.ExpectObject(await RequestBody.ReadJsonAsync(request, 1 << 20, ct), "an export request");
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error!);
            }
            var json = body.Value!;
            if ((string?)Member(json, "path") is not { Length: > 0 } path || !Path.IsPathFullyQualified(path))
            {
                return AdtErrors.ToResult("InvalidArgument", "'path' must be an absolute path on the server's machine for the Parquet file.");
            }
            var from = Time(Member(json, "from"), DateTimeOffset.UnixEpoch, "from");
            var to = Time(Member(json, "to"), DateTimeOffset.MaxValue, "to");
            if ((from.Error ?? to.Error) is { } error)
            {
                return AdtErrors.ToResult(error);
            }
            var ids = Strings(Member(json, "twinIds"));
            var names = Strings(Member(json, "names"));
            var count = await runtime.History.ExportParquetAsync(new HistoryRead(ids, names, from.Value, to.Value), path, ct);
            return Responses.Json(new JsonObject { ["path"] = path, ["points"] = count });
        }).WithName("History_Export");

        history.MapPost("/retention", async (HttpRequest request, TwinRuntime runtime, CancellationToken ct) =>
        {
            var cutoff = Cutoff(request, runtime);
            if (!cutoff.IsSuccess)
            {
                return AdtErrors.ToResult(cutoff.Error!);
            }
            return Responses.Json(new JsonObject { ["deleted"] = await runtime.History.DeleteBeforeAsync(cutoff.Value, ct), ["before"] = Timestamp(cutoff.Value) });
        }).WithName("History_Retention").Audited("history.retention", "history");

        history.MapPost("/downsample", async (HttpRequest request, TwinRuntime runtime, CancellationToken ct) =>
        {
            var cutoff = Cutoff(request, runtime);
            var bucket = HistoryDuration.Parse(request.Query["bucket"], "bucket");
            if ((cutoff.Error ?? bucket.Error) is { } error)
            {
                return AdtErrors.ToResult(error);
            }
            var removed = await runtime.History.DownsampleBeforeAsync(cutoff.Value, bucket.Value, ct);
            return Responses.Json(new JsonObject { ["removed"] = removed, ["before"] = Timestamp(cutoff.Value) });
        }).WithName("History_Downsample").Audited("history.downsample", "history");

        history.MapPost("/compact", async (TwinRuntime runtime, CancellationToken ct) =>
            Responses.Json(new JsonObject { ["compacted"] = await runtime.History.CompactAsync(ct) }))
            .WithName("History_Compact").Audited("history.compact", "history");

        history.MapGet("/policy", (HistoryMaintenance maintenance) => Responses.Json(PolicyJson(maintenance)))
            .WithName("History_GetPolicy");

        history.MapPut("/policy", async (HttpRequest request, HistoryMaintenance maintenance, CancellationToken ct) =>
        {
            var body = RequestBody.ExpectObject(await RequestBody.ReadJsonAsync(request, 64 * 1024, ct), "a history policy");
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error!);
            }
            var policy = HistoryPolicy.Parse(body.Value!);
            if (!policy.IsSuccess)
            {
                return AdtErrors.ToResult(policy.Error);
            }
            await maintenance.SetAsync(policy.Value, ct);
            return Responses.Json(PolicyJson(maintenance));
        }).WithName("History_PutPolicy").Audited("history.policy.put", "history");

        history.MapDelete("/policy", async (HistoryMaintenance maintenance, CancellationToken ct) =>
        {
            await maintenance.SetAsync(null, ct);
            return Responses.NoContent();
        }).WithName("History_DeletePolicy").Audited("history.policy.delete", "history");

        history.MapPost("/policy/run", async (HistoryMaintenance maintenance, CancellationToken ct) =>
            Responses.Json(await maintenance.RunAsync(ct)))
            .WithName("History_RunPolicy").Audited("history.policy.run", "history");
    }

    private static JsonNode ToJson(HistoryPoint point)
    {
        JsonNode? value = point.Json is { } json ? JsonNode.Parse(json) : point.Number is { } n ? JsonValue.Create(n) : null;
        return new JsonObject
        {
            ["twinId"] = point.TwinId,
            ["name"] = point.Name,
            ["kind"] = point.Kind == HistoryKind.Telemetry ? "telemetry" : "property",
            ["time"] = Timestamp(point.Time),
            ["value"] = value,
        };
    }

    private static JsonObject PolicyJson(HistoryMaintenance maintenance) => new()
    {
        ["policy"] = maintenance.Policy?.ToJson(),
        ["lastRun"] = maintenance.LastRun?.DeepClone(),
    };

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static HistoryCursor? Cursor(string? token)
    {
        var parts = token?.Split(':');
        return parts is [var ticks, var sequence]
            && long.TryParse(ticks, CultureInfo.InvariantCulture, out var t) && t >= 0 && t <= DateTimeOffset.MaxValue.UtcTicks
            && long.TryParse(sequence, CultureInfo.InvariantCulture, out var s)
            ? new HistoryCursor(new DateTimeOffset(t, TimeSpan.Zero), s)
            : null;
    }

    /// <summary>The half-open range [from, to) of the query string; all time when absent.</summary>
    private static Result<(DateTimeOffset From, DateTimeOffset To)> Range(HttpRequest request)
    {
        var from = Time(request.Query["from"].ToString(), DateTimeOffset.UnixEpoch, "from");
        var to = Time(request.Query["to"].ToString(), DateTimeOffset.MaxValue, "to");
        if ((from.Error ?? to.Error) is { } error)
        {
            return error;
        }
        return from.Value < to.Value
            ? Result<(DateTimeOffset, DateTimeOffset)>.Ok((from.Value, to.Value))
            : Result<(DateTimeOffset, DateTimeOffset)>.Fail("InvalidArgument", $"'from' ({request.Query["from"]}) must be before 'to' ({request.Query["to"]}).");
    }

    private static Result<DateTimeOffset> Time(JsonNode? node, DateTimeOffset fallback, string what) =>
        node is null ? Result<DateTimeOffset>.Ok(fallback) : node is JsonValue v && v.TryGetValue<string>(out var s) ? Time(s, fallback, what)
        : Result<DateTimeOffset>.Fail("InvalidArgument", $"'{what}' must be an RFC 3339 date-time string.");

    private static Result<DateTimeOffset> Time(string text, DateTimeOffset fallback, string what)
    {
        if (text.Length == 0)
        {
            return Result<DateTimeOffset>.Ok(fallback);
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? Result<DateTimeOffset>.Ok(time)
            : Result<DateTimeOffset>.Fail("InvalidArgument", $"'{what}' value '{text}' is not an RFC 3339 date-time (e.g. 2026-03-01T00:00:00Z).");
    }

    /// <summary>The cutoff of a retention or downsampling request: <c>before</c> (a time) or <c>olderThan</c> (a duration before now).</summary>
    private static Result<DateTimeOffset> Cutoff(HttpRequest request, TwinRuntime runtime)
    {
        var before = request.Query["before"].ToString();
        var olderThan = request.Query["olderThan"].ToString();
        if ((before.Length == 0) == (olderThan.Length == 0))
        {
            return Result<DateTimeOffset>.Fail("InvalidArgument", "Give exactly one of 'before' (a date-time) or 'olderThan' (a duration such as 30d).");
        }
        if (before.Length > 0)
        {
            return Time(before, default, "before");
        }
        var age = HistoryDuration.Parse(olderThan, "olderThan");
        return age.IsSuccess ? Result<DateTimeOffset>.Ok(runtime.Time.GetUtcNow() - age.Value) : age.Error;
    }

    private static List<string> List(HttpRequest request, string key) =>
        [.. request.Query[key].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    private static JsonNode? Member(JsonObject json, string name) => json.TryGetPropertyValue(name, out var node) ? node : null;

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>()] : [];

    /// <summary>The twins of an aggregate: <c>twinIds</c> (comma-separated), or the <c>$dtId</c>s a <c>query</c> returns, or all.</summary>
    private static Result<IReadOnlyList<string>> Twins(HttpRequest request, TwinRuntime runtime, QueryEngine engine, CancellationToken ct)
    {
        var ids = List(request, "twinIds");
        var query = request.Query["query"].ToString();
        if (query.Length == 0)
        {
            return Result<IReadOnlyList<string>>.Ok(ids);
        }
        if (ids.Count > 0)
        {
            return Result<IReadOnlyList<string>>.Fail("InvalidArgument", "Give either 'twinIds' or 'query', not both.");
        }
        var source = new TwinGraphQuerySource(runtime.Graph, dtmi => runtime.Models.SelfAndDescendants(new Dtmi(dtmi)).Select(d => d.Value).ToHashSet(StringComparer.Ordinal), TwinAccess.Visibility(request.HttpContext.Access(), runtime.Graph));
        var found = new List<string>();
        string? token = null;
        do
        {
            var page = engine.Execute(token is null ? query : null, source, 0, token, ct);
            if (!page.IsSuccess)
            {
                return page.Error!;
            }
            foreach (var row in page.Value!.Rows)
            {
                if (DtId(row) is { } id)
                {
                    found.Add(id);
                }
            }
            token = page.Value.ContinuationToken;
        }
        while (token is not null);
        if (found.Count == 0)
        {
            return Result<IReadOnlyList<string>>.Fail("InvalidArgument", "The query returned no twins (rows need a $dtId, e.g. SELECT T FROM DIGITALTWINS T WHERE ...).");
        }
        return Result<IReadOnlyList<string>>.Ok(found.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// The twins of an aggregate or export a subject may read the history of: all of them unless a policy narrows its
    /// rights, else those of the list (or of the whole graph) it may read; twins it may not read are absent.
    /// </summary>
    private static Result<IReadOnlyList<string>> Permitted(HttpRequest request, TwinRuntime runtime, Result<IReadOnlyList<string>> twins)
    {
        var rules = request.HttpContext.Access();
        if (!twins.IsSuccess || (rules.AllowsEverywhere(Resource.Twins, Access.Read) && rules.AllowsEverywhere(Resource.Telemetry, Access.Read)))
        {
            return twins;
        }
        var candidates = twins.Value.Count > 0 ? twins.Value.Select(id => runtime.Graph.TryGetTwin(id, out var t) ? t : null).OfType<TwinDocument>() : runtime.Graph.Twins;
        var permitted = candidates.Where(t => HistoryReadable(rules, t)).Select(t => t.Id).ToList();
        // An empty list means every twin to the store, so "none" is a list of an id no twin can have.
        return Result<IReadOnlyList<string>>.Ok(permitted.Count > 0 ? permitted : [""]);
    }

    private static bool HistoryReadable(AccessRules rules, TwinDocument twin) =>
        rules.Allows(Resource.Twins, Access.Read, new TwinView(twin)) && rules.Allows(Resource.Telemetry, Access.Read, new TwinView(twin));

    /// <summary>The 403 when the subject may not read the twin's history (its twin and telemetry).</summary>
    private static IResult? Denied(HttpContext context, TwinRuntime runtime, string id) =>
        !runtime.Graph.TryGetTwin(id, out var twin) ? null
        : TwinAccess.Check(context, Resource.Twins, Access.Read, twin) ?? TwinAccess.Check(context, Resource.Telemetry, Access.Read, twin);

    /// <summary>False for the series of a property hidden from the subject.</summary>
    private static bool Readable(HttpContext context, TwinRuntime runtime, string twinId, string name)
    {
        var rules = context.Access();
        return !rules.MayHideProperties || !runtime.Graph.TryGetTwin(twinId, out var twin) || rules.AllowsProperty(Access.Read, new TwinView(twin), name);
    }

    private static string? DtId(JsonNode row)
    {
        if (row is not JsonObject obj)
        {
            return null;
        }
        if (obj["$dtId"] is JsonValue id && id.GetValueKind() == JsonValueKind.String)
        {
            return id.GetValue<string>();
        }
        return obj.Select(p => p.Value is JsonObject inner && inner["$dtId"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null).FirstOrDefault(s => s is not null);
    }

    /// <summary>History points as CSV (twinId,name,kind,time,value), read page by page and written as they come.</summary>
    private sealed class HistoryCsv(TwinRuntime runtime, HistoryRead read, string fileName) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            var ct = httpContext.RequestAborted;
            response.ContentType = "text/csv; charset=utf-8";
            response.Headers.ContentDisposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment") { FileName = fileName }.ToString();
            await using var writer = new StreamWriter(response.Body, new System.Text.UTF8Encoding(false), 64 * 1024);
            await writer.WriteAsync("twinId,name,kind,time,value\n");
            var page = read;
            while (true)
            {
                var points = await runtime.History.ReadAsync(page, ct);
                foreach (var point in points.Points)
                {
                    if (!Readable(httpContext, runtime, point.TwinId, point.Name))
                    {
                        continue;
                    }
                    var value = point.Number is { } n ? n.ToString("R", CultureInfo.InvariantCulture) : point.Json ?? "";
                    await writer.WriteAsync(string.Join(',', Csv(point.TwinId), Csv(point.Name), point.Kind == HistoryKind.Telemetry ? "telemetry" : "property", Timestamp(point.Time), Csv(value)));
                    await writer.WriteAsync('\n');
                }
                if (points.Next is not { } next)
                {
                    break;
                }
                page = page with { After = next };
            }
        }

        /// <summary>A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).</summary>
        private static string Csv(string text) =>
            text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
