using System.Diagnostics;
using System.Text.Json.Nodes;
using Doppel.Analytics.Rul;
using Doppel.Security;
using Doppel.Server.Analytics;
using Doppel.Server.Analytics.Internal;
using Doppel.Server.Audit.Internal;
using Doppel.Server.Runtime;
using Doppel.Server.Security;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Api;

/// <summary>
/// The predictor registry: <c>/doppel/predictors</c> lists, shows, trains (in the background), uploads, evaluates,
/// assigns to models, explains on a twin and deletes trained predictors.
/// </summary>
internal static class PredictorEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var predictors = app.MapGroup("/doppel/predictors").WithTags("Predictors");

        predictors.MapGet("", (PredictorRegistry registry) =>
            Responses.Page(registry.List().Select(v => (JsonNode)registry.Describe(v.Name, withVersions: false)!), null)).WithName("Predictors_List");

        predictors.MapGet("/{name}", (string name, PredictorRegistry registry) =>
            registry.Describe(name, withVersions: true) is { } json ? Responses.Json(json, (string?)json["etag"]) : NotFound(name)).WithName("Predictors_Get");

        predictors.MapDelete("/{name}", (string name, PredictorRegistry registry) =>
        {
            var deleted = registry.Delete(name);
            return deleted.IsSuccess ? Responses.NoContent() : AdtErrors.ToResult(deleted.Error);
        }).WithName("Predictors_Delete").Audited("predictor.delete", "predictor");

        predictors.MapPost("/{name}/train", async (string name, HttpContext context, PredictorRegistry registry, PredictorTrainings trainings, TwinRuntime runtime, IOptions<DoppelServerOptions> options, CancellationToken ct) =>
        {
            if (PredictorRegistry.CheckName(name) is { } invalid)
            {
                return AdtErrors.ToResult(invalid);
            }
            var body = RequestBody.ExpectObject(await RequestBody.ReadJsonAsync(context.Request, options.Value.MaxModelRequestBytes, ct), "a training request");
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error);
            }
            var request = PredictorRequests.Train(body.Value, runtime);
            if (!request.IsSuccess)
            {
                return AdtErrors.ToResult(request.Error);
            }
            if (request.Value.HistoryModel is not null && HistoryDenied(context) is { } denied)
            {
                return denied;
            }
            var operation = trainings.Start(name, request.Value);
            context.Response.Headers["Operation-Location"] = OperationLocation(context.Request, name, operation.Id);
            return Responses.Json(operation.ToJson(), status: StatusCodes.Status202Accepted);
        }).WithName("Predictors_Train").Audited("predictor.train", "predictor", request => [(request.Http.GetRouteValue("name") as string ?? "", "train")]);

        predictors.MapGet("/{name}/operations/{id}", (string name, string id, PredictorTrainings trainings) =>
            trainings.Get(name, id) is { } operation
                ? Responses.Json(operation.ToJson())
                : AdtErrors.ToResult("PredictorOperationNotFound", $"There is no training operation '{id}' of predictor '{name}' (operations are kept in memory, the newest 100, until the server restarts)."))
            .WithName("Predictors_GetOperation");

        predictors.MapGet("/{name}/versions/{version:int}", (string name, int version, PredictorRegistry registry) =>
        {
            var found = registry.Find(name, version);
            return found.IsSuccess ? Responses.Json(found.Value.ToJson(), found.Value.ETag) : AdtErrors.ToResult(found.Error);
        }).WithName("Predictors_GetVersion");

        predictors.MapGet("/{name}/versions/{version:int}/file", (string name, int version, PredictorRegistry registry) =>
        {
            var found = registry.Find(name, version);
            return found.IsSuccess
                ? Results.File(Path.Combine(registry.Root, name, $"v{version}.bin"), "application/octet-stream", $"{name}-v{version}.bin")
                : AdtErrors.ToResult(found.Error);
        }).WithName("Predictors_GetVersionFile");

        predictors.MapPut("/{name}/versions/{version:int}", async (string name, int version, HttpRequest request, PredictorRegistry registry, IOptions<DoppelServerOptions> options, CancellationToken ct) =>
        {
            if (PredictorRegistry.CheckName(name) is { } invalid)
            {
                return AdtErrors.ToResult(invalid);
            }
            var upload = await ReadUploadAsync(request, options.Value.MaxModelRequestBytes, ct);
            if (!upload.IsSuccess)
            {
                return AdtErrors.ToResult(upload.Error);
            }
            var (predictor, training) = upload.Value;
            var stored = registry.Add(name, predictor, training, expectedVersion: version);
            return stored.IsSuccess ? Responses.Json(stored.Value.ToJson(), stored.Value.ETag, StatusCodes.Status201Created) : AdtErrors.ToResult(stored.Error);
        }).WithName("Predictors_PutVersion").Audited("predictor.upload", "predictor", request => [(request.Http.GetRouteValue("name") as string ?? "", $"version {request.Http.GetRouteValue("version")}")]);

        predictors.MapPost("/{name}/evaluate", async (string name, HttpContext context, PredictorRegistry registry, TwinRuntime runtime, IOptions<DoppelServerOptions> options, CancellationToken ct) =>
        {
            var body = RequestBody.ExpectObject(await RequestBody.ReadJsonAsync(context.Request, options.Value.MaxModelRequestBytes, ct), "an evaluation request");
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error);
            }
            var request = PredictorRequests.Evaluate(body.Value, runtime);
            if (!request.IsSuccess)
            {
                return AdtErrors.ToResult(request.Error);
            }
            var (number, source, history, units, truth) = request.Value;
            var version = registry.Find(name, number);
            if (!version.IsSuccess)
            {
                return AdtErrors.ToResult(version.Error);
            }
            var predictor = registry.Load(version.Value);
            if (!predictor.IsSuccess)
            {
                return AdtErrors.ToResult(predictor.Error);
            }
            if (history is not null)
            {
                if (HistoryDenied(context) is { } denied)
                {
                    return denied;
                }
                units = await TelemetryRows.UnitsAsync(runtime, history.Model, predictor.Value.Channels, history.From, history.To, minRows: 1, ct);
                if (units.Count == 0)
                {
                    return AdtErrors.ToResult("InvalidArgument", $"No twin of '{history.Model}' has rows of {string.Join(", ", predictor.Value.Channels)} between {history.From:O} and {history.To:O}.");
                }
                truth = [.. units.Select(_ => 0.0)];
            }
            var projected = PredictorRequests.Project(units!, predictor.Value.Channels, source);
            if (!projected.IsSuccess)
            {
                return AdtErrors.ToResult(projected.Error);
            }
            var watch = Stopwatch.StartNew();
            RulMetrics metrics;
            try
            {
                metrics = RulEvaluation.Evaluate(predictor.Value, projected.Value, truth!);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return Failed(version.Value, e);
            }
            return Responses.Json(new JsonObject
            {
                ["predictor"] = version.Value.Label,
                ["source"] = source,
                ["metrics"] = PredictorVersion.MetricsJson(metrics),
                ["durationMs"] = Math.Round(watch.Elapsed.TotalMilliseconds, 2),
            });
        }).WithName("Predictors_Evaluate");

        predictors.MapPut("/{name}/assignments/{modelId}", async (string name, string modelId, HttpRequest request, PredictorRegistry registry, CancellationToken ct) =>
        {
            var bytes = await RequestBody.ReadAsync(request, 4096, ct);
            if (!bytes.IsSuccess)
            {
                return AdtErrors.ToResult(bytes.Error);
            }
            var body = bytes.Value.Length == 0 ? Result<JsonObject>.Ok([]) : RequestBody.ExpectObject(RequestBody.ParseJson(bytes.Value), "an assignment: {} or {\"version\": n}");
            var version = body.IsSuccess ? PredictorRequests.Assignment(body.Value) : body.Error;
            if (!version.IsSuccess)
            {
                return AdtErrors.ToResult(version.Error);
            }
            var assigned = registry.Assign(name, modelId, version.Value);
            if (!assigned.IsSuccess)
            {
                // A model or version named in the request that does not exist is the request's fault.
                var status = assigned.Error.Code == "ModelNotFound" || (assigned.Error.Code == "PredictorNotFound" && registry.Versions(name) is not null)
                    ? StatusCodes.Status400BadRequest : AdtErrors.StatusOf(assigned.Error.Code);
                return AdtErrors.ToResult(assigned.Error, status);
            }
            return Responses.Json(registry.Describe(name, withVersions: false)!);
        }).WithName("Predictors_Assign").Audited("predictor.assign", "predictor", request => [(request.Http.GetRouteValue("name") as string ?? "", $"model {request.Http.GetRouteValue("modelId")}")]);

        predictors.MapDelete("/{name}/assignments/{modelId}", (string name, string modelId, PredictorRegistry registry) =>
        {
            var removed = registry.Unassign(name, modelId);
            return removed.IsSuccess ? Responses.NoContent() : AdtErrors.ToResult(removed.Error);
        }).WithName("Predictors_Unassign").Audited("predictor.unassign", "predictor", request => [(request.Http.GetRouteValue("name") as string ?? "", $"model {request.Http.GetRouteValue("modelId")}")]);

        predictors.MapGet("/{name}/explain", async (string name, HttpContext context, PredictorRegistry registry, PredictorWatcher watcher, TwinRuntime runtime, CancellationToken ct) =>
        {
            var twinId = context.Request.Query["twinId"].ToString();
            if (twinId.Length == 0)
            {
                return AdtErrors.ToResult("InvalidArgument", "explain needs the twin: ?twinId=...");
            }
            int? number = null;
            if (context.Request.Query["version"].ToString() is { Length: > 0 } text)
            {
                if (!int.TryParse(text, out var parsed))
                {
                    return AdtErrors.ToResult("InvalidArgument", $"version: '{text}' is not a version number.");
                }
                number = parsed;
            }
            var version = registry.Find(name, number);
            if (!version.IsSuccess)
            {
                return AdtErrors.ToResult(version.Error);
            }
            if (!runtime.Graph.TryGetTwin(twinId, out var twin))
            {
                return AdtErrors.ToResult("DigitalTwinNotFound", $"There is no digital twin with id '{twinId}'.");
            }
            if (RequestAccess.Check(context, Resource.Telemetry, Access.Read, twin) is { } refused)
            {
                return refused;
            }
            var predictor = registry.Load(version.Value);
            if (!predictor.IsSuccess)
            {
                return AdtErrors.ToResult(predictor.Error);
            }
            var rows = await watcher.WindowAsync(twinId, predictor.Value, ct);
            if (rows.Count == 0)
            {
                return AdtErrors.ToResult("InvalidArgument", $"Twin '{twinId}' has no telemetry rows of {string.Join(", ", predictor.Value.Channels)} in history for {version.Value.Label} to explain.");
            }
            RulEstimate estimate;
            IReadOnlyList<(string Feature, double Contribution)> contributions;
            try
            {
                estimate = predictor.Value.Predict(rows);
                contributions = predictor.Value.Explain(rows);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return Failed(version.Value, e);
            }
            return Responses.Json(new JsonObject
            {
                ["twinId"] = twinId,
                ["predictor"] = version.Value.Label,
                ["rows"] = rows.Count,
                ["rul"] = Math.Round(estimate.Rul, 3),
                ["rulLower"] = Math.Round(estimate.Lower, 3),
                ["rulUpper"] = Math.Round(estimate.Upper, 3),
                ["contributions"] = new JsonArray([.. contributions.OrderByDescending(c => Math.Abs(c.Contribution)).Select(c =>
                    (JsonNode)new JsonObject { ["feature"] = c.Feature, ["contribution"] = Math.Round(c.Contribution, 4) })]),
            });
        }).WithName("Predictors_Explain");
    }

    /// <summary>A file from <c>doppel predict train --out</c>: the raw bytes, or JSON <c>{"file": base64, "training": {...}}</c>.</summary>
    private static async Task<Result<(RulPredictor Predictor, TrainingSummary Training)>> ReadUploadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        var bytes = await RequestBody.ReadAsync(request, maxBytes, ct);
        if (!bytes.IsSuccess)
        {
            return bytes.Error;
        }
        var file = bytes.Value;
        var training = new TrainingSummary("upload", null, null, null, null, null, null);
        if (request.ContentType is { } type && type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            var body = RequestBody.ExpectObject(RequestBody.ParseJson(bytes.Value), "an upload: {\"file\": base64, \"training\": {...}}");
            if (!body.IsSuccess)
            {
                return body.Error;
            }
            if (body.Value.Select(p => p.Key).FirstOrDefault(k => k is not ("file" or "training")) is { } unknown)
            {
                return new DoppelError("InvalidArgument", NearestName.UnknownKey("", unknown, ["file", "training"]));
            }
            if (body.Value["file"] is not JsonValue value || !value.TryGetValue<string>(out var base64))
            {
                return new DoppelError("InvalidArgument", "file: the predictor file, base64-encoded, is missing.");
            }
            try
            {
                file = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                return new DoppelError("InvalidArgument", "file: is not base64.");
            }
            if (body.Value["training"] is { } summary)
            {
                try
                {
                    training = summary is JsonObject o ? TrainingSummary.FromJson(o) : throw new FormatException("must be an object");
                }
                catch (Exception e) when (e is FormatException or InvalidOperationException)
                {
                    return new DoppelError("InvalidArgument", $"training: {e.Message}");
                }
            }
        }
        if (file.Length == 0)
        {
            return new DoppelError("InvalidArgument", "The upload is empty; send the file that doppel predict train --out wrote.");
        }
        using var stream = new MemoryStream(file, writable: false);
        Result<RulPredictor> loaded;
        try
        {
            loaded = RulPredictor.Load(stream);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            loaded = Result<RulPredictor>.Fail("InvalidArgument", e.Message);
        }
        return loaded.IsSuccess
            ? Result<(RulPredictor, TrainingSummary)>.Ok((loaded.Value, training))
            : new DoppelError("InvalidArgument", $"The upload is not a predictor file: {loaded.Error.Message}");
    }

    /// <summary>Training or evaluating on history reads every twin of a model: the caller must read telemetry everywhere.</summary>
    private static IResult? HistoryDenied(HttpContext context) =>
        context.Access().AllowsEverywhere(Resource.Telemetry, Access.Read) ? null : RequestAccess.Deny(context, Resource.Telemetry, Access.Read, "every twin of the model (training on history reads them all)");

    private static string OperationLocation(HttpRequest request, string name, string id) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/doppel/predictors/{Uri.EscapeDataString(name)}/operations/{id}";

    /// <summary>A predictor that throws on the data is the predictor's failure, answered with its message; the server is fine.</summary>
    private static IResult Failed(PredictorVersion version, Exception e) =>
        AdtErrors.ToResult("PredictorFailed", $"Predictor {version.Label} failed on this data: {e.Message}");

    private static IResult NotFound(string name) => AdtErrors.ToResult("PredictorNotFound", $"There is no predictor named '{name}'.");
}
