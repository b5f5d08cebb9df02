using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.History;
using Doppel.Packs.Manufacturing;
using Doppel.Server.Runtime;
using Doppel.Simulation.Experiments;

namespace Doppel.Server.Api;

/// <summary>
/// <c>POST /doppel/experiments</c> runs a scenario file (a line, a run, what-ifs). <c>POST /doppel/scenarios</c>: forks a production line from its live twins (or from its state at a past time, read from
/// history), applies what-ifs, runs replications, and returns KPIs with confidence intervals and paired comparisons.
/// Reads twins and history only: a scenario never writes to live twins.
/// </summary>
/// <remarks>
/// Either becomes a run (<see cref="RunEndpoints"/>): the request waits for its result by default, as it always did, or,
/// with <c>?wait=false</c> or <c>Prefer: respond-async</c>, is answered at once with 202 and the run to follow.
/// </remarks>
internal static class ScenarioEndpoints
{
    private const int MaxReplications = 200;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/doppel/scenarios", async (HttpRequest request, TwinRuntime runtime, SimulationRuns runs, CancellationToken ct) =>
        {
            var body = RequestBody.ExpectObject(await RequestBody.ReadJsonAsync(request, 256 * 1024, ct), "a scenario");
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error!);
            }
            var json = body.Value!;
            if (json["line"] is not JsonValue lineValue || !lineValue.TryGetValue<string>(out var lineId))
            {
                return AdtErrors.ToResult("InvalidArgument", "\"line\" (the id of a dtmi:doppel:manufacturing:Line;1 twin) is required.");
            }
            var read = LineTwins.Read(runtime.Graph, lineId);
            if (!read.IsSuccess)
            {
                return AdtErrors.ToResult(read.Error);
            }
            string? name = null;
            if (json["name"] is { } nameNode && (nameNode is not JsonValue nameValue || !nameValue.TryGetValue(out name)))
            {
                return AdtErrors.ToResult("InvalidArgument", "\"name\" (the run's id) must be a string.");
            }
            var (line, state) = read.Value;
            var run = json["run"] as JsonObject ?? [];
            double Number(string name, double fallback) => run[name] is JsonValue v && v.TryGetValue<double>(out var d) ? d : fallback;
            var file = new LineScenarioFile(line, new Dictionary<string, LineDefinition>(), Number("duration", 20_000), Number("warmup", 1_000),
                (int)Number("replications", 10), (ulong)Number("seed", 1));
            if (!(file.Duration > file.Warmup) || file.Warmup < 0 || file.Replications is < 2 or > MaxReplications || file.Duration > 1e8)
            {
                return AdtErrors.ToResult("InvalidArgument", $"run: need 0 <= warmup < duration <= 1e8 and 2 to {MaxReplications} replications.");
            }
            // What-ifs as a JSON object, or as the YAML text of one (what a scenario file's whatIf section holds).
            var whatIfText = json["whatIf"] switch
            {
                JsonObject o => o.ToJsonString(),
                JsonValue v when v.TryGetValue<string>(out var text) => text,
                _ => null,
            };
            if (whatIfText is not null)
            {
                var variants = LineScenarioFile.ParseWhatIf(line, whatIfText);
                if (!variants.IsSuccess)
                {
                    return AdtErrors.ToResult(variants.Error);
                }
                file = file with { WhatIf = variants.Value };
            }
            var start = "now";
            if (json["at"] is JsonValue atValue && atValue.TryGetValue<string>(out var atText))
            {
                if (!DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    return AdtErrors.ToResult("InvalidArgument", $"\"at\" must be an RFC 3339 date-time, got '{atText}'.");
                }
                state = await StateAtAsync(runtime, lineId, line, at, ct);
                start = at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
            }
            else if (json["fromLiveState"] is JsonValue live && live.TryGetValue<bool>(out var fromLive) && !fromLive)
            {
                state = null;
                start = "empty";
            }
            var initial = state;
            JsonObject Work(IProgress<ExperimentProgress> progress, CancellationToken token)
            {
                var response = LineExperiment.ToJson(LineExperiment.Run(file, progress, token, initial: initial));
                response["line"] = lineId;
                response["start"] = start;
                response["crews"] = line.Crews;
                response["initialState"] = initial is null ? null : new JsonObject
                {
                    ["bufferLevels"] = new JsonArray([.. initial.BufferLevels.Select(l => (JsonNode)l)]),
                    ["stationsDown"] = new JsonArray([.. line.Stations.Where((_, i) => initial.StationsDown[i]).Select(s => (JsonNode)s.Name)]),
                    ["stationsHoldingParts"] = new JsonArray([.. line.Stations.Where((_, i) => initial.HoldsPart(i)).Select(s => (JsonNode)s.Name)]),
                    ["workInProgress"] = initial.WorkInProgress,
                };
                return response;
            }
            return await RunAsync(request, runs, name, "scenario", json, (file.WhatIf.Count + 1) * file.Replications, Work, ct);
        }).WithTags("Scenarios").WithName("Scenarios_Run");

        app.MapPost("/doppel/experiments", async (HttpRequest request, SimulationRuns runs, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync(request, 256 * 1024, ct);
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error);
            }
            // A scenario file, YAML or JSON (JSON is YAML): the line, the run and the what-ifs, not tied to any twin.
            var text = System.Text.Encoding.UTF8.GetString(body.Value);
            var file = LineScenarioFile.Parse(text);
            if (!file.IsSuccess)
            {
                return AdtErrors.ToResult(file.Error);
            }
            if (file.Value.Replications > MaxReplications || file.Value.Duration > 1e8)
            {
                return AdtErrors.ToResult("InvalidArgument", $"run: at most {MaxReplications} replications and a duration of 1e8.");
            }
            var scenario = file.Value;
            return await RunAsync(request, runs, scenario.Name, "experiment", new JsonObject { ["scenarioFile"] = text },
                (scenario.WhatIf.Count + 1) * scenario.Replications, (progress, token) => LineExperiment.ToJson(LineExperiment.Run(scenario, progress, token)), ct);
        }).WithTags("Scenarios").WithName("Experiments_Run");
    }

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
        var query = request.Query["wait"].ToString();
        if (query.Length > 0)
        {
            return bool.TryParse(query, out var wait)
                ? Result<bool>.Ok(wait)
                : Result<bool>.Fail("InvalidArgument", $"wait must be true or false, got '{query}'.");
        }
        var prefer = request.Headers["Prefer"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries));
        return Result<bool>.Ok(!prefer.Any(p => p.Equals("respond-async", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The line's state at a past time: each buffer's last recorded level and each station's last recorded state up to then.</summary>
    private static async Task<LineState> StateAtAsync(TwinRuntime runtime, string lineId, LineDefinition line, DateTimeOffset at, CancellationToken ct)
    {
        var layout = LineTwins.Layout(runtime.Graph, lineId).Value!;
        var points = (await runtime.History.LatestAtAsync([.. layout.BufferIds, .. layout.StationIds], ["level", "state"], at, ct))
            .ToDictionary(p => (p.TwinId, p.Name));
        var levels = layout.BufferIds.Select((id, i) => (int)Math.Clamp(points.GetValueOrDefault((id, "level")).Number ?? 0, 0, line.Buffers[i])).ToList();
        var states = layout.StationIds.Select(id => Text(points.GetValueOrDefault((id, "state")))).ToList();
        return new LineState(levels, [.. states.Select(s => s == "down")]) { StationStates = states };

        static string? Text(HistoryPoint point) => point.Json is { } json && JsonNode.Parse(json) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
    }
}
