using System.Text;
using System.Text.Json.Nodes;
using Doppel.Packs;
using Doppel.Server.Audit.Internal;
using Doppel.Server.Runtime;
using Doppel.Simulation.Experiments;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Api;

/// <summary>
/// <c>POST /doppel/scenarios</c> forks live twins with a pack's scenario kind (named by <c>kind</c>, by the model of
/// <c>twin</c>, or recognised by its keys), applies what-ifs, runs replications, and returns KPIs with confidence
/// intervals and paired comparisons; it reads twins and history only, never writes to twins.
/// <c>POST /doppel/experiments</c> runs a scenario file (YAML or JSON) of a pack's experiment kind.
/// </summary>
/// <remarks>
/// Either becomes a run (<see cref="RunEndpoints"/>): the request waits for its result by default, as it always did, or,
/// with <c>?wait=false</c> or <c>Prefer: respond-async</c>, is answered at once with 202 and the run to follow.
/// </remarks>
internal static class ScenarioEndpoints
{
    private const int MaxBodyBytes = 256 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/doppel/scenarios", async (HttpRequest request, TwinRuntime runtime, PackCatalog packs, SimulationRuns runs, IOptions<DoppelServerOptions> options, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync(request, MaxBodyBytes, ct);
            var json = body.IsSuccess ? RequestBody.ExpectObject(RequestBody.ParseJson(body.Value), "a scenario") : Result<JsonObject>.Fail(body.Error);
            if (!json.IsSuccess)
            {
                return AdtErrors.ToResult(json.Error);
            }
            // The kind reads the body as the client wrote it, so that errors give its lines.
            var context = new ScenarioContext(runtime.Graph, runtime.Models, runtime.History);
            var prepared = await packs.PrepareScenarioAsync(Encoding.UTF8.GetString(body.Value!), context, Limits(options.Value), ct);
            if (!prepared.IsSuccess)
            {
                return AdtErrors.ToResult(prepared.Error);
            }
            var scenario = prepared.Value;
            return await RunAsync(request, runs, scenario.Name, "scenario", json.Value, scenario.Plan.Total, scenario.Execute, ct);
        }).WithTags("Scenarios").WithName("Scenarios_Run").Audited("run.submit", "run", AuditTargets.AnsweredId);

        app.MapPost("/doppel/experiments", async (HttpRequest request, PackCatalog packs, SimulationRuns runs, IOptions<DoppelServerOptions> options, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync(request, MaxBodyBytes, ct);
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error);
            }
            // A scenario file, YAML or JSON, of any pack's experiment kind, not tied to any twin.
            var text = Encoding.UTF8.GetString(body.Value);
            var read = packs.ReadExperiment(text, Limits(options.Value));
            if (!read.IsSuccess)
            {
                return AdtErrors.ToResult(read.Error with { Message = "Scenario file, " + read.Error.Message });
            }
            var experiment = read.Value;
            var optimize = Flag(request, "optimize");
            if (!optimize.IsSuccess)
            {
                return AdtErrors.ToResult(optimize.Error);
            }
            if (!optimize.Value)
            {
                return await RunAsync(request, runs, experiment.Name, "experiment", new JsonObject { ["scenarioFile"] = text }, experiment.Plan.Total, experiment.Execute, ct);
            }
            // The search the file's optimize section asks for (what doppel optimize FILE runs), as a run of its own kind.
            if (experiment.Plan.Optimization is not { } optimization)
            {
                return AdtErrors.ToResult("InvalidArgument", $"Scenario file: optimize=true, but the file has no 'optimize' section that its kind ({experiment.Kind.Name}) can search.");
            }
            JsonObject Optimize(IProgress<ExperimentProgress> progress, CancellationToken token) => ExperimentJson.Seal(
                new JsonObject { ["optimization"] = new JsonObject { ["stepName"] = optimization.StepName, ["steps"] = optimization.Steps }, ["report"] = optimization.Run(progress, token).ToJson() },
                experiment.Kind.Name, experiment.Plan.Run);
            return await RunAsync(request, runs, experiment.Name, "optimization", new JsonObject { ["scenarioFile"] = text }, optimization.Steps, Optimize, ct);
        }).WithTags("Scenarios").WithName("Experiments_Run").Audited("run.submit", "run", AuditTargets.AnsweredId);
    }

    private static RunLimits Limits(DoppelServerOptions options) => new(options.MaxRunReplications, options.MaxRunDuration);

    /// <summary>Submits the run; then waits for its result, or answers 202 at once when the client asked not to wait.</summary>
    private static async Task<IResult> RunAsync(HttpRequest request, SimulationRuns runs, string? name, string kind, JsonNode body, int total, RunWork work, CancellationToken ct)
    {
        var wait = Wait(request);
        if (!wait.IsSuccess)
        {
            return AdtErrors.ToResult(wait.Error);
        }
        var submitted = await runs.SubmitAsync(name, kind, body, total, work, ct);
        if (!submitted.IsSuccess)
        {
            return AdtErrors.ToResult(submitted.Error);
        }
        var run = submitted.Value;
        request.HttpContext.Response.Headers.Location = RunEndpoints.Location(request, run.Id);
        if (!wait.Value)
        {
            return Responses.Json(run.ToJson(), status: StatusCodes.Status202Accepted);
        }
        try
        {
            await run.Finished.WaitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client left: nobody waits for the result any more, so the run stops (a synchronous request always did).
            await runs.CancelAsync(run.Id, CancellationToken.None);
            return Results.Empty;
        }
        return run.Status switch
        {
            "succeeded" => Responses.Json(run.Result!),
            "cancelled" => AdtErrors.ToResult("RunCancelled", $"Run '{run.Id}' was cancelled before it finished."),
            _ => AdtErrors.ToResult(run.Error!),
        };
    }

    /// <summary>Whether the client waits for the result: yes unless <c>?wait=false</c> or <c>Prefer: respond-async</c> (RFC 7240).</summary>
    private static Result<bool> Wait(HttpRequest request)
    {
        if (request.Query["wait"].ToString().Length > 0)
        {
            return Flag(request, "wait");
        }
        var prefer = request.Headers["Prefer"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries));
        return Result<bool>.Ok(!prefer.Any(p => p.Equals("respond-async", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>A true/false query parameter; false when absent.</summary>
    private static Result<bool> Flag(HttpRequest request, string name)
    {
        var query = request.Query[name].ToString();
        return query.Length == 0 ? Result<bool>.Ok(false)
            : bool.TryParse(query, out var value) ? Result<bool>.Ok(value)
            : Result<bool>.Fail("InvalidArgument", $"{name} must be true or false, got '{query}'.");
    }
}
