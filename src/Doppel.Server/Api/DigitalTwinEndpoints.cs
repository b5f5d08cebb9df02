using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Events;
using Doppel.History;
using Doppel.Ingest;
using Doppel.Security;
using Doppel.Server.Audit.Internal;
using Doppel.Server.Ingest;
using Doppel.Server.Runtime;
using Doppel.Server.Security;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Api;

/// <summary>ADT twins, relationships, components and telemetry (adt-api.md 3.4 to 3.7).</summary>
internal static class DigitalTwinEndpoints
{
    private const int ListPageSize = 1000;

    public static void Map(IEndpointRouteBuilder app)
    {
        var twins = app.MapGroup("/digitaltwins/{id}").WithTags("DigitalTwins");

        twins.MapGet("", (string id, HttpContext context, TwinRuntime runtime) =>
            !runtime.Graph.TryGetTwin(id, out var twin) ? TwinNotFound(id)
            : TwinAccess.Check(context, Resource.Twins, Access.Read, twin) ?? Responses.Json(TwinAccess.Redacted(context, twin) ?? twin.Utf8Json, twin.ETag))
            .WithName("DigitalTwins_GetById");

        twins.MapPut("", (string id, HttpRequest request, TwinRuntime runtime, IGrainFactory grains, IOptions<DoppelServerOptions> options, CancellationToken ct) =>
            WriteAsync(request, options.Value, body => grains.GetGrain<ITwinGrain>(id).Put(body, IsCreateOnly(request)), noContent: false, ct,
                body => (runtime.Graph.TryGetTwin(id, out var old) ? TwinAccess.Check(request.HttpContext, Resource.Twins, Access.Write, old) : null) ?? TwinAccess.CheckNew(request.HttpContext, id, body)))
            .WithName("DigitalTwins_Add").Audited("twin.put", "twin", AuditTargets.TwinPut);

        twins.MapPatch("", (string id, HttpRequest request, TwinRuntime runtime, IGrainFactory grains, IOptions<DoppelServerOptions> options, CancellationToken ct) =>
            WriteAsync(request, options.Value, body => grains.GetGrain<ITwinGrain>(id).Patch(body, IfMatch(request)), noContent: true, ct,
                body => runtime.Graph.TryGetTwin(id, out var twin) ? TwinAccess.CheckPatch(request.HttpContext, twin, body) : null))
            .WithName("DigitalTwins_Update").Audited("twin.patch", "twin", AuditTargets.JsonPatch);

        twins.MapDelete("", async (string id, HttpRequest request, TwinRuntime runtime, IGrainFactory grains) =>
            (runtime.Graph.TryGetTwin(id, out var twin) ? TwinAccess.Check(request.HttpContext, Resource.Twins, Access.Write, twin) : null)
            ?? Responses.From(await grains.GetGrain<ITwinGrain>(id).Delete(IfMatch(request)), noContent: true))
            .WithName("DigitalTwins_Delete").Audited("twin.delete", "twin");

        twins.MapGet("/relationships/{relationshipId}", (string id, string relationshipId, HttpContext context, TwinRuntime runtime) =>
            !runtime.Graph.TryGetTwin(id, out var source) ? TwinNotFound(id)
            : TwinAccess.Check(context, Resource.Relationships, Access.Read, source) is { } denied ? denied
            : runtime.Graph.TryGetRelationship(id, relationshipId, out var relationship) ? Responses.Json(relationship.ToJsonString(), relationship.ETag)
            : AdtErrors.ToResult("RelationshipNotFound", $"Twin '{id}' has no relationship with id '{relationshipId}'."))
            .WithName("DigitalTwins_GetRelationshipById");

        twins.MapPut("/relationships/{relationshipId}", (string id, string relationshipId, HttpRequest request, TwinRuntime runtime, IGrainFactory grains, IOptions<DoppelServerOptions> options, CancellationToken ct) =>
            WriteAsync(request, options.Value, body => grains.GetGrain<ITwinGrain>(id).PutRelationship(relationshipId, body, IsCreateOnly(request)), noContent: false, ct,
                _ => RelationshipWrite(request.HttpContext, runtime, id)))
            .WithName("DigitalTwins_AddRelationship").Audited("relationship.put", "relationship", AuditTargets.RelationshipPut);

        twins.MapPatch("/relationships/{relationshipId}", (string id, string relationshipId, HttpRequest request, TwinRuntime runtime, IGrainFactory grains, IOptions<DoppelServerOptions> options, CancellationToken ct) =>
            WriteAsync(request, options.Value, body => grains.GetGrain<ITwinGrain>(id).PatchRelationship(relationshipId, body, IfMatch(request)), noContent: true, ct,
                _ => RelationshipWrite(request.HttpContext, runtime, id)))
            .WithName("DigitalTwins_UpdateRelationship").Audited("relationship.patch", "relationship", AuditTargets.JsonPatch);

        twins.MapDelete("/relationships/{relationshipId}", async (string id, string relationshipId, HttpRequest request, TwinRuntime runtime, IGrainFactory grains) =>
            RelationshipWrite(request.HttpContext, runtime, id) ?? Responses.From(await grains.GetGrain<ITwinGrain>(id).DeleteRelationship(relationshipId, IfMatch(request)), noContent: true))
            .WithName("DigitalTwins_DeleteRelationship").Audited("relationship.delete", "relationship");

        twins.MapGet("/relationships", (string id, HttpRequest request, TwinRuntime runtime) =>
        {
            if (!runtime.Graph.TryGetTwin(id, out var source))
            {
                return TwinNotFound(id);
            }
            if (TwinAccess.Check(request.HttpContext, Resource.Relationships, Access.Read, source) is { } denied)
            {
                return denied;
            }
            var name = request.Query["relationshipName"].ToString();
            var relationships = runtime.Graph.Outgoing(id, name.Length == 0 ? null : name);
            return Page(request, relationships, r => r.Id, r => r.ToJson());
        }).WithName("DigitalTwins_ListRelationships");

        twins.MapGet("/incomingrelationships", (string id, HttpRequest request, TwinRuntime runtime) =>
            runtime.Graph.TryGetTwin(id, out _)
                // Each relationship belongs to its source: listed only where the subject may read the source's relationships.
                ? Page(request, [.. runtime.Graph.Incoming(id).Where(r => CanReadRelationships(request.HttpContext, runtime, r.SourceId))], r => r.SourceId + "\n" + r.Id, r => r.ToIncomingJson())
                : TwinNotFound(id))
            .WithName("DigitalTwins_ListIncomingRelationships");

        twins.MapGet("/components/{componentPath}", (string id, string componentPath, HttpContext context, TwinRuntime runtime) =>
        {
            if (!runtime.Graph.TryGetTwin(id, out var twin))
            {
                return TwinNotFound(id);
            }
            if ((TwinAccess.Check(context, Resource.Twins, Access.Read, twin) ?? (context.Access().AllowsProperty(Access.Read, new TwinView(twin), componentPath) ? null
                : RequestAccess.Deny(context, Resource.Properties, Access.Read, $"twin '{id}' ('{componentPath}')"))) is { } denied)
            {
                return denied;
            }
            var component = runtime.Operations.GetComponent(twin, componentPath);
            return component.IsSuccess ? Responses.Json(component.Value, twin.ETag) : AdtErrors.ToResult(component.Error);
        }).WithName("DigitalTwins_GetComponent");

        twins.MapPatch("/components/{componentPath}", (string id, string componentPath, HttpRequest request, TwinRuntime runtime, IGrainFactory grains, IOptions<DoppelServerOptions> options, CancellationToken ct) =>
            WriteAsync(request, options.Value, body => grains.GetGrain<ITwinGrain>(id).PatchComponent(componentPath, body, IfMatch(request)), noContent: true, ct,
                body => runtime.Graph.TryGetTwin(id, out var twin) ? TwinAccess.CheckPatch(request.HttpContext, twin, body, componentPath) : null))
            .WithName("DigitalTwins_UpdateComponent").Audited("twin.patch", "twin", AuditTargets.ComponentPatch);

        twins.MapPost("/telemetry", (string id, HttpRequest request, TwinRuntime runtime, IngestPipeline pipeline, IOptions<DoppelServerOptions> options, CancellationToken ct) =>
            Telemetry(id, null, request, runtime, pipeline, options.Value, ct))
            .WithName("DigitalTwins_SendTelemetry");

        twins.MapPost("/components/{componentPath}/telemetry", (string id, string componentPath, HttpRequest request, TwinRuntime runtime, IngestPipeline pipeline, IOptions<DoppelServerOptions> options, CancellationToken ct) =>
            Telemetry(id, componentPath, request, runtime, pipeline, options.Value, ct))
            .WithName("DigitalTwins_SendComponentTelemetry");
    }

    private static async Task<IResult> Telemetry(string id, string? componentPath, HttpRequest request, TwinRuntime runtime, IngestPipeline pipeline, DoppelServerOptions options, CancellationToken ct)
    {
        if (!runtime.Graph.TryGetTwin(id, out var twin))
        {
            return TwinNotFound(id);
        }
        if (TwinAccess.Check(request.HttpContext, Resource.Telemetry, Access.Write, twin) is { } denied)
        {
            return denied;
        }
        var messageId = request.Headers["Message-Id"].ToString();
        if (messageId.Length == 0)
        {
            return AdtErrors.ToResult("MissingArgument", "The Message-Id header is required to send telemetry.");
        }
        var sourceTime = request.Headers["Telemetry-Source-Time"].ToString();
        var time = runtime.Time.GetUtcNow();
        if (sourceTime.Length > 0 && !DateTimeOffset.TryParse(sourceTime, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out time))
        {
            return AdtErrors.ToResult("InvalidArgument", $"The Telemetry-Source-Time header '{sourceTime}' is not an RFC 3339 date-time.");
        }
        // A reading from the future would hold the live value until then: refused (400) and kept as a dead letter, as on every ingest path.
        if (sourceTime.Length > 0 && ClockSkew.Check(time, runtime.Time.GetUtcNow(), options.MaxClockSkew, "The Telemetry-Source-Time header") is { } future)
        {
            var refused = await RequestBody.ReadAsync(request, options.MaxTwinRequestBytes, ct);
            await pipeline.DeadLetterAsync("http", request.Path, null, id, future.Code, future.Message,
                new System.Buffers.ReadOnlySequence<byte>(refused.IsSuccess ? refused.Value : []), System.Diagnostics.Stopwatch.GetTimestamp());
            return AdtErrors.ToResult("InvalidArgument", future.Message);
        }
        var body = await RequestBody.ReadAsync(request, options.MaxTwinRequestBytes, ct);
        if (!body.IsSuccess)
        {
            return AdtErrors.ToResult(body.Error);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Value);
            if (componentPath is not null && IsSwappedComponentTelemetry(document, messageId) is { } swapped)
            {
                document.Dispose();
                document = swapped;
            }
        }
        catch (JsonException e)
        {
            return AdtErrors.ToResult("InvalidArgument", $"The telemetry body is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var valid = runtime.Operations.ValidateTelemetry(twin, componentPath, document.RootElement);
            if (!valid.IsSuccess)
            {
                return AdtErrors.ToResult(valid.Error);
            }
            // Acknowledged once durable in history; a repeated Message-Id is stored once.
            var points = HistoryPoints.Telemetry(id, componentPath, document.RootElement, time, messageId);
            if (await runtime.History.AppendAsync(points, ct) == 0)
            {
                return Responses.NoContent(); // a retry: stored before, already live and announced
            }
            runtime.Live.Apply(points);
            runtime.OnTelemetryStored(twin, points);
            if (runtime.Events.HasSubscribers)
            {
                runtime.Events.Publish(TwinEvents.Telemetry(id, twin.Model.Value, componentPath, Encoding.UTF8.GetBytes(document.RootElement.GetRawText()), time, messageId));
            }
            return Responses.NoContent();
        }
    }

    /// <summary>
    /// @azure/digital-twins-core 1.1.0's publishComponentTelemetry passes the payload as the Message-Id header and the
    /// message id as the body (its arguments reach the generated client swapped). ADT does not look inside telemetry, so
    /// it never noticed; Doppel validates telemetry, so it recognises exactly that shape (a JSON string body and a JSON
    /// object in Message-Id) and reads the payload from the header.
    /// </summary>
    private static JsonDocument? IsSwappedComponentTelemetry(JsonDocument body, string messageId)
    {
        if (body.RootElement.ValueKind != JsonValueKind.String || !messageId.StartsWith('{'))
        {
            return null;
        }
        try
        {
            var payload = JsonDocument.Parse(messageId);
            if (payload.RootElement.ValueKind == JsonValueKind.Object)
            {
                return payload;
            }
            payload.Dispose();
        }
        catch (JsonException)
        {
        }
        return null;
    }

    /// <summary>Pages over a list whose keys are unique and stable: the token is the last key sent.</summary>
    private static IResult Page<T>(HttpRequest request, IReadOnlyList<T> items, Func<T, string> key, Func<T, JsonNode> toJson)
    {
        var size = Paging.PageSize(request, ListPageSize);
        var after = Paging.ResumeAfter(request);
        if (!size.IsSuccess || !after.IsSuccess)
        {
            return AdtErrors.ToResult(size.Error ?? after.Error!);
        }
        var ordered = items.OrderBy(key, StringComparer.Ordinal).Where(i => after.Value is null || string.CompareOrdinal(key(i), after.Value) > 0).Take(size.Value + 1).ToList();
        var page = ordered.Take(size.Value).ToList();
        var next = ordered.Count > size.Value ? Paging.NextLink(request, key(page[^1])) : null;
        return Responses.Page(page.Select(toJson), next);
    }

    /// <summary>
    /// Reads a twin-sized JSON body, lets <paramref name="authorize"/> judge it (null to go on, else the refusal) and
    /// hands it to a grain write; the grain's answer becomes the response.
    /// </summary>
    private static async Task<IResult> WriteAsync(HttpRequest request, DoppelServerOptions options, Func<string, Task<WriteOutcome>> write, bool noContent, CancellationToken ct, Func<string, IResult?> authorize)
    {
        var body = await ReadTextAsync(request, options.MaxTwinRequestBytes, ct);
        if (!body.IsSuccess)
        {
            return AdtErrors.ToResult(body.Error);
        }
        return authorize(body.Value) ?? Responses.From(await write(body.Value), noContent);
    }

    private static IResult? RelationshipWrite(HttpContext context, TwinRuntime runtime, string sourceId) =>
        runtime.Graph.TryGetTwin(sourceId, out var source) ? TwinAccess.Check(context, Resource.Relationships, Access.Write, source) : null;

    private static bool CanReadRelationships(HttpContext context, TwinRuntime runtime, string sourceId)
    {
        var rules = context.Access();
        return rules.AllowsEverywhere(Resource.Relationships, Access.Read)
            || (runtime.Graph.TryGetTwin(sourceId, out var source) && rules.Allows(Resource.Relationships, Access.Read, new TwinView(source)));
    }

    private static async Task<Result<string>> ReadTextAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        var body = await RequestBody.ReadAsync(request, maxBytes, ct);
        if (!body.IsSuccess)
        {
            return body.Error;
        }
        // The grain parses the text itself, so here it is only checked, without building a node tree.
        return RequestBody.CheckJson(body.Value) is { } error ? error : Result<string>.Ok(Encoding.UTF8.GetString(body.Value));
    }

    private static bool IsCreateOnly(HttpRequest request) => request.Headers.IfNoneMatch.ToString().Trim() == "*";

    private static string? IfMatch(HttpRequest request) => request.Headers.IfMatch.ToString() is { Length: > 0 } v ? v : null;

    private static IResult TwinNotFound(string id) => AdtErrors.ToResult("DigitalTwinNotFound", $"There is no digital twin with id '{id}'.");
}
