using System.Text.Json.Nodes;
using Doppel.Server.Analytics;
using Doppel.Server.Audit.Internal;

namespace Doppel.Server.Api;

/// <summary>Live anomaly detectors: <c>/doppel/detectors</c> (put, list, get, delete).</summary>
internal static class DetectorEndpoints
{
    private const int MaxPageSize = 1000;
    private const int MaxDetectorBytes = 16 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        var detectors = app.MapGroup("/doppel/detectors").WithTags("Detectors");

        detectors.MapGet("", (HttpRequest request, DetectorService service) =>
        {
            var size = Paging.PageSize(request, MaxPageSize);
            var after = Paging.ResumeAfter(request);
            if (!size.IsSuccess || !after.IsSuccess)
            {
                return AdtErrors.ToResult(size.Error ?? after.Error!);
            }
            var items = service.List().Where(d => after.Value is null || string.CompareOrdinal(d.Id, after.Value) > 0).Take(size.Value + 1).ToList();
            var page = items.Take(size.Value).ToList();
            return Responses.Page(page.Select(d => (JsonNode)d.ToJson()), items.Count > size.Value ? Paging.NextLink(request, page[^1].Id) : null);
        }).WithName("Detectors_List");

        detectors.MapGet("/{id}", (string id, DetectorService service) =>
            service.Get(id) is { } definition ? Responses.Json(definition.ToJson(), definition.ETag) : NotFound(id)).WithName("Detectors_Get");

        detectors.MapPut("/{id}", async (string id, HttpRequest request, DetectorService service, CancellationToken ct) =>
        {
            var body = RequestBody.ExpectObject(await RequestBody.ReadJsonAsync(request, MaxDetectorBytes, ct), "a detector");
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error);
            }
            var definition = service.Parse(id, body.Value);
            if (!definition.IsSuccess)
            {
                return AdtErrors.ToResult(definition.Error);
            }
            var (stored, created) = await service.PutAsync(definition.Value, ct);
            return Responses.Json(stored.ToJson(), stored.ETag, created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }).WithName("Detectors_Put").Audited("detector.put", "detector");

        detectors.MapDelete("/{id}", async (string id, DetectorService service, CancellationToken ct) =>
            await service.DeleteAsync(id, ct) ? Responses.NoContent() : NotFound(id)).WithName("Detectors_Delete").Audited("detector.delete", "detector");
    }

    private static IResult NotFound(string id) =>
        AdtErrors.ToResult(new DoppelError("DetectorNotFound", $"There is no anomaly detector with id '{id}'."), StatusCodes.Status404NotFound);
}
