using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Packs.Manufacturing;
using Doppel.Server.Runtime;

namespace Doppel.Server.Api;

/// <summary>
/// <c>POST /doppel/experiments</c> runs a scenario file (a line, a run, what-ifs). <c>POST /doppel/scenarios</c>: forks a production line from its live twins (or from its state at a past time, read from
/// history), applies what-ifs, runs replications, and returns KPIs with confidence intervals and paired comparisons.
/// Reads twins and history only: a scenario never writes to live twins.
/// </summary>
internal static class ScenarioEndpoints
{
    private const int MaxReplications = 200;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/doppel/scenarios", async (HttpRequest request, TwinRuntime runtime, CancellationToken ct) =>
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
            var result = await Task.Run(() => LineExperiment.Run(file, ct: ct, initial: state), ct);
            var response = LineExperiment.ToJson(result);
            response["line"] = lineId;
            response["start"] = start;
            response["crews"] = line.Crews;
            response["initialState"] = state is null ? null : new JsonObject
            {
                ["bufferLevels"] = new JsonArray([.. state.BufferLevels.Select(l => (JsonNode)l)]),
                ["stationsDown"] = new JsonArray([.. line.Stations.Where((_, i) => state.StationsDown[i]).Select(s => (JsonNode)s.Name)]),
            };
            return Responses.Json(response);
        }).WithTags("Scenarios").WithName("Scenarios_Run");

        app.MapPost("/doppel/experiments", async (HttpRequest request, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync(request, 256 * 1024, ct);
            if (!body.IsSuccess)
            {
                return AdtErrors.ToResult(body.Error);
            }
            // A scenario file, YAML or JSON (JSON is YAML): the line, the run and the what-ifs, not tied to any twin.
            var file = LineScenarioFile.Parse(System.Text.Encoding.UTF8.GetString(body.Value));
            if (!file.IsSuccess)
            {
                return AdtErrors.ToResult(file.Error);
            }
            if (file.Value.Replications > MaxReplications || file.Value.Duration > 1e8)
            {
                return AdtErrors.ToResult("InvalidArgument", $"run: at most {MaxReplications} replications and a duration of 1e8.");
            }
            var result = await Task.Run(() => LineExperiment.Run(file.Value, ct: ct), ct);
            return Responses.Json(LineExperiment.ToJson(result));
        }).WithTags("Scenarios").WithName("Experiments_Run");
    }

    /// <summary>The line's state at a past time: each buffer's last recorded level and each station's last recorded state up to then.</summary>
    private static async Task<LineState> StateAtAsync(TwinRuntime runtime, string lineId, LineDefinition line, DateTimeOffset at, CancellationToken ct)
    {
        var layout = LineTwins.Layout(runtime.Graph, lineId).Value!;
        var points = (await runtime.History.LatestAtAsync([.. layout.BufferIds, .. layout.StationIds], ["level", "state"], at, ct))
            .ToDictionary(p => (p.TwinId, p.Name));
        var levels = layout.BufferIds.Select((id, i) => (int)Math.Clamp(points.GetValueOrDefault((id, "level")).Number ?? 0, 0, line.Buffers[i])).ToList();
        var down = layout.StationIds.Select(id => points.GetValueOrDefault((id, "state")).Json == "\"down\"").ToList();
        return new LineState(levels, down);
    }
}
