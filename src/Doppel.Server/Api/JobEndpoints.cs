using System.Text.Json.Nodes;
using Doppel.Server.Audit.Internal;
using Doppel.Server.Runtime;

namespace Doppel.Server.Api;

/// <summary>ADT delete jobs (adt-api.md 3.9): POST starts one (202 + Operation-Location), GET reads them.</summary>
internal static class JobEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/jobs/deletions").WithTags("DeleteJobs");

        jobs.MapPost("", (HttpRequest request, HttpResponse response, DeletionJobs deletions) =>
        {
            var id = request.Headers["operation-id"].ToString() is { Length: > 0 } given ? given : Guid.NewGuid().ToString();
            var minutes = request.Query["timeoutInMinutes"].ToString();
            var timeout = TimeSpan.FromMinutes(240);
            if (minutes.Length > 0)
            {
                if (!int.TryParse(minutes, out var m) || m is < 15 or > 1440)
                {
                    return AdtErrors.ToResult("InvalidArgument", $"timeoutInMinutes must be an integer from 15 to 1440, got '{minutes}'.");
                }
                timeout = TimeSpan.FromMinutes(m);
            }
            var started = deletions.Start(id, timeout);
            if (!started.IsSuccess)
            {
                return AdtErrors.ToResult(started.Error);
            }
            response.Headers["Operation-Location"] = $"{request.Scheme}://{request.Host}/jobs/deletions/{Uri.EscapeDataString(id)}?api-version={request.Query["api-version"]}";
            return Responses.Json(started.Value.ToJson(), status: StatusCodes.Status202Accepted);
        }).WithName("DeleteJobs_Add").Audited("deletion.start", "job", AuditTargets.AnsweredId);

        jobs.MapGet("", (DeletionJobs deletions) =>
            Responses.Page(deletions.Jobs.Select(j => (JsonNode)j.ToJson()), null))
            .WithName("DeleteJobs_List");

        jobs.MapGet("/{id}", (string id, DeletionJobs deletions) =>
            deletions.Get(id) is { } job ? Responses.Json(job.ToJson()) : AdtErrors.ToResult("DeleteJobNotFound", $"There is no delete job with id '{id}'."))
            .WithName("DeleteJobs_GetById");
    }
}
