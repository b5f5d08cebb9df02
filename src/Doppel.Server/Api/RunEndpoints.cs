using System.Buffers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Doppel.Server.Audit.Internal;
using Doppel.Server.Runtime;
using Doppel.Server.Streams;
using Doppel.Server.Streams.Internal;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Api;

/// <summary>
/// Scenario and experiment runs (<c>/doppel/runs</c>), started by <c>POST /doppel/scenarios</c> and <c>POST /doppel/experiments</c>:
/// GET lists and reads them, <c>/events</c> follows one as Server-Sent Events, cancel stops one, DELETE forgets a finished one.
/// </summary>
internal static class RunEndpoints
{
    private const int MaxPageSize = 100;

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/doppel/runs").WithTags("Runs");

        group.MapGet("", (HttpRequest request, SimulationRuns runs) =>
        {
            var size = Paging.PageSize(request, MaxPageSize);
            var after = Paging.ResumeAfter(request);
            if (!size.IsSuccess || !after.IsSuccess)
            {
                return AdtErrors.ToResult(size.Error ?? after.Error!);
            }
            var page = runs.Runs.Where(r => after.Value is null || string.CompareOrdinal(SimulationRuns.SortKey(r), after.Value) > 0).Take(size.Value + 1).ToList();
            var more = page.Count > size.Value;
            if (more)
            {
                page.RemoveAt(page.Count - 1);
            }
            return Responses.Page(page.Select(r => (JsonNode)r.ToJson()), more ? Paging.NextLink(request, SimulationRuns.SortKey(page[^1])) : null);
        }).WithName("Runs_List");

        group.MapGet("/{id}", (string id, SimulationRuns runs) =>
            runs.Get(id) is { } run ? Responses.Json(run.ToJson(full: true)) : NotFound(id))
            .WithName("Runs_GetById");

        group.MapGet("/{id}/events", FollowAsync).WithName("Runs_Events");

        group.MapPost("/{id}/cancel", async (string id, SimulationRuns runs, CancellationToken ct) =>
        {
            var cancelled = await runs.CancelAsync(id, ct);
            return cancelled.IsSuccess ? Responses.Json(cancelled.Value.ToJson()) : AdtErrors.ToResult(cancelled.Error);
        }).WithName("Runs_Cancel").Audited("run.cancel", "run");

        group.MapDelete("/{id}", async (string id, SimulationRuns runs, CancellationToken ct) =>
        {
            var deleted = await runs.DeleteAsync(id, ct);
            return deleted.IsSuccess ? Responses.NoContent() : AdtErrors.ToResult(deleted.Error);
        }).WithName("Runs_Delete").Audited("run.delete", "run");
    }

    /// <summary>
    /// Follows a run as Server-Sent Events: an <c>event: run</c> with its state now and at each change of status or
    /// progress (changes that come faster than the client reads are merged into the latest state), the last one with the
    /// result; then the stream ends. A <c>heartbeat</c> event keeps an idle stream alive.
    /// </summary>
    private static async Task FollowAsync(string id, HttpContext context, SimulationRuns runs, IOptions<DoppelServerOptions> options, TimeProvider time)
    {
        if (runs.Get(id) is not { } run)
        {
            await AdtErrors.WriteAsync(context, new DoppelError("RunNotFound", $"There is no run with id '{id}'."));
            return;
        }
        await EventStreamResponse.WriteAsync(context, States(run, options.Value.StreamHeartbeat, time, context.RequestAborted), (item, writer) => writer.Write(Encoding.UTF8.GetBytes(item.Data)));
    }

    private static async IAsyncEnumerable<SseItem<string>> States(SimulationRun run, TimeSpan heartbeatEvery, TimeProvider time, [EnumeratorCancellation] CancellationToken ct)
    {
        using var heartbeat = new PeriodicTimer(heartbeatEvery, time);
        Task<bool>? tick = null;
        while (true)
        {
            var next = run.NextChange;
            var finished = run.IsFinished;
            yield return new SseItem<string>(run.ToJson(full: finished).ToJsonString(), "run");
            if (finished)
            {
                yield break;
            }
            while (true)
            {
                tick ??= heartbeat.WaitForNextTickAsync(ct).AsTask();
                if (await Task.WhenAny(next, tick) == next)
                {
                    break;
                }
                await tick;
                tick = null;
                yield return new SseItem<string>("{}", EventStreamEndpoints.HeartbeatEvent);
            }
        }
    }

    /// <summary>The absolute address of a run, for the <c>Location</c> header.</summary>
    public static string Location(HttpRequest request, string id) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/doppel/runs/{Uri.EscapeDataString(id)}";

    private static IResult NotFound(string id) => AdtErrors.ToResult("RunNotFound", $"There is no run with id '{id}'.");
}
