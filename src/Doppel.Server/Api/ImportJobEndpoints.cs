using System.Text.Json.Nodes;
using Doppel.Server.Audit.Internal;
using Doppel.Server.Runtime;

namespace Doppel.Server.Api;

/// <summary>ADT import jobs (adt-api.md 3.9, 2023-06-30+): PUT starts one, GET reads them, cancel stops one, DELETE forgets it.</summary>
internal static class ImportJobEndpoints
{
    private const int MaxPageSize = 100;

    public static void Map(IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/jobs/imports").WithTags("ImportJobs");

        jobs.MapPut("/{id}", async (string id, HttpRequest request, ImportJobs imports, CancellationToken ct) =>
        {
            var body = RequestBody.ExpectObject(await RequestBody.ReadJsonAsync(request, 64 * 1024, ct), "an import job");
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error!);
            }
            if (body.Value!["inputBlobUri"] is not JsonValue input || !input.TryGetValue<string>(out var inputUri) || inputUri.Length == 0
                || body.Value["outputBlobUri"] is not JsonValue output || !output.TryGetValue<string>(out var outputUri) || outputUri.Length == 0)
            {
                return AdtErrors.ToResult("InvalidArgument", "An import job needs string 'inputBlobUri' and 'outputBlobUri'.");
            }
            var started = imports.Start(id, inputUri, outputUri);
            return started.IsSuccess
                ? Responses.Json(started.Value!.ToJson(), status: StatusCodes.Status201Created)
                : AdtErrors.ToResult(started.Error!);
        }).WithName("ImportJobs_Add").Audited("import.start", "job");

        jobs.MapGet("", (HttpRequest request, ImportJobs imports) =>
        {
            var size = Paging.PageSize(request, MaxPageSize);
            var after = Paging.ResumeAfter(request);
            if (!size.IsSuccess || !after.IsSuccess)
            {
                return AdtErrors.ToResult(size.Error ?? after.Error!);
            }
            var page = imports.Jobs.Where(j => after.Value is null || string.CompareOrdinal(j.Id, after.Value) > 0).Take(size.Value + 1).ToList();
            var more = page.Count > size.Value;
            if (more)
            {
                page.RemoveAt(page.Count - 1);
            }
            return Responses.Page(page.Select(j => (JsonNode)j.ToJson()), more ? Paging.NextLink(request, page[^1].Id) : null);
        }).WithName("ImportJobs_List");

        jobs.MapGet("/{id}", (string id, ImportJobs imports) =>
            imports.Get(id) is { } job ? Responses.Json(job.ToJson()) : NotFound(id))
            .WithName("ImportJobs_GetById");

        jobs.MapDelete("/{id}", (string id, ImportJobs imports) =>
            imports.Delete(id) ? Responses.NoContent() : NotFound(id))
            .WithName("ImportJobs_Delete").Audited("import.delete", "job");

        jobs.MapPost("/{id}/cancel", (string id, ImportJobs imports) =>
            imports.Cancel(id) is { } job ? Responses.Json(job.ToJson()) : NotFound(id))
            .WithName("ImportJobs_Cancel").Audited("import.cancel", "job");
    }

    private static IResult NotFound(string id) => AdtErrors.ToResult("ImportJobNotFound", $"There is no import job with id '{id}'.");
}
