using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Modeling;
using Doppel.Server.Audit.Internal;
using Doppel.Server.Runtime;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Api;

/// <summary>ADT models (adt-api.md 3.3).</summary>
internal static class ModelEndpoints
{
    private const int MaxPageSize = 100;

    public static void Map(IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/models").WithTags("DigitalTwinModels");

        models.MapPost("", async (HttpRequest request, ModelService service, IOptions<DoppelServerOptions> options, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadJsonAsync(request, options.Value.MaxModelRequestBytes, ct);
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error);
            }
            if (body.Value is not JsonArray array || array.Count == 0)
            {
                return AdtErrors.ToResult("InvalidArgument", "The request body must be a non-empty JSON array of DTDL interfaces.");
            }
            if (array.Count > options.Value.MaxModelsPerRequest)
            {
                return AdtErrors.ToResult("LimitExceeded", $"{array.Count} models were sent in one request; the limit is {options.Value.MaxModelsPerRequest}.");
            }
            var documents = array.Select((m, i) => new ModelDocument($"models[{i}]", m?.ToJsonString() ?? "null")).ToList();
            var added = await service.AddAsync(documents, ct);
            if (!added.IsSuccess)
            {
                return AdtErrors.ToResult(added.Error);
            }
            var result = new JsonArray();
            foreach (var entry in added.Value)
            {
                result.Add(ToJson(entry, includeDefinition: true));
            }
            return Responses.Json(result, status: StatusCodes.Status201Created);
        }).WithName("DigitalTwinModels_Add").Audited("model.create", "model", AuditTargets.Models);

        models.MapGet("", (HttpRequest request, TwinRuntime runtime) =>
        {
            var include = IncludeDefinition(request);
            var size = Paging.PageSize(request, MaxPageSize);
            var after = Paging.ResumeAfter(request);
            if (!include.IsSuccess || !size.IsSuccess || !after.IsSuccess)
            {
                return AdtErrors.ToResult(include.Error ?? size.Error ?? after.Error!);
            }
            // The spec repeats dependenciesFor; the JS SDK sends one comma-separated value. Accept both.
            var dependenciesFor = request.Query["dependenciesFor"]
                .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(v => new Dtmi(v)).ToList();
            foreach (var id in dependenciesFor)
            {
                if (runtime.Models.Get(id) is null)
                {
                    return AdtErrors.ToResult("ModelNotFound", $"There is no model with id '{id}' (named in dependenciesFor).");
                }
            }
            var entries = runtime.Models.List(dependenciesFor.Count == 0 ? null : dependenciesFor)
                .OrderBy(e => e.Model.Id.Value, StringComparer.Ordinal)
                .Where(e => after.Value is null || string.CompareOrdinal(e.Model.Id.Value, after.Value) > 0)
                .Take(size.Value + 1).ToList();
            var page = entries.Take(size.Value).ToList();
            var next = entries.Count > size.Value ? Paging.NextLink(request, page[^1].Model.Id.Value) : null;
            return Responses.Page(page.Select(e => (JsonNode)ToJson(e, include.Value)), next);
        }).WithName("DigitalTwinModels_List");

        models.MapGet("/{id}", (string id, HttpRequest request, TwinRuntime runtime) =>
        {
            var include = IncludeDefinition(request);
            if (!include.IsSuccess)
            {
                return AdtErrors.ToResult(include.Error);
            }
            return runtime.Models.Get(new Dtmi(id)) is { } entry
                ? Responses.Json(ToJson(entry, include.Value))
                : ModelNotFound(id);
        }).WithName("DigitalTwinModels_GetById");

        models.MapPatch("/{id}", async (string id, HttpRequest request, ModelService service, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadJsonAsync(request, 64 * 1024, ct);
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error);
            }
            // Only one patch is meaningful for a model: replace /decommissioned with true.
            if (body.Value is not JsonArray { Count: 1 } ops || ops[0] is not JsonObject op
                || (string?)op["op"] != "replace" || (string?)op["path"] != "/decommissioned"
                || op["value"] is not JsonValue value || value.GetValueKind() != JsonValueKind.True)
            {
                return AdtErrors.ToResult("JsonPatchInvalid", "A model can only be patched with [{\"op\":\"replace\",\"path\":\"/decommissioned\",\"value\":true}].");
            }
            var result = await service.DecommissionAsync(new Dtmi(id), ct);
            return result.IsSuccess ? Responses.NoContent() : AdtErrors.ToResult(result.Error);
        }).WithName("DigitalTwinModels_Update").Audited("model.decommission", "model", AuditTargets.JsonPatch);

        models.MapDelete("/{id}", async (string id, ModelService service, CancellationToken ct) =>
        {
            var result = await service.DeleteAsync(new Dtmi(id), ct);
            return result.IsSuccess ? Responses.NoContent() : AdtErrors.ToResult(result.Error);
        }).WithName("DigitalTwinModels_Delete").Audited("model.delete", "model");
    }

    private static JsonObject ToJson(ModelEntry entry, bool includeDefinition)
    {
        var json = new JsonObject
        {
            ["id"] = entry.Model.Id.Value,
            ["displayName"] = LanguageMap(entry.Model.DisplayName),
            ["description"] = LanguageMap(entry.Model.Description),
            ["uploadTime"] = entry.UploadTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["decommissioned"] = entry.Decommissioned,
        };
        if (includeDefinition)
        {
            json["model"] = JsonNode.Parse(entry.Model.Document.GetRawText());
        }
        return json;
    }

    private static JsonObject LanguageMap(LocalizedText text)
    {
        var map = new JsonObject();
        foreach (var (language, value) in text.Values)
        {
            map[language] = value;
        }
        return map;
    }

    private static Result<bool> IncludeDefinition(HttpRequest request)
    {
        var value = request.Query["includeModelDefinition"].ToString();
        return value.Length == 0 ? Result<bool>.Ok(false)
            : bool.TryParse(value, out var include) ? Result<bool>.Ok(include)
            : Result<bool>.Fail("InvalidArgument", $"includeModelDefinition must be true or false, got '{value}'.");
    }

    private static IResult ModelNotFound(string id) => AdtErrors.ToResult("ModelNotFound", $"There is no model with id '{id}'.");
}
