using System.Text.Json.Nodes;
using Doppel.History;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Manufacturing;

/// <summary>
/// Forks a production line from its live twins (<see cref="LineTwins"/>), or from its state at a past time read from
/// history, applies what-ifs, and runs replications: KPIs with confidence intervals and paired comparisons, and where
/// the fork started. The request names the line by <c>"line"</c> (or <c>"twin"</c>); what-ifs are a JSON object, or
/// the YAML text of a scenario file's <c>whatIf</c> section.
/// </summary>
public sealed class LineScenarioKind : IScenarioKind
{
    public string Name => LineExperimentKind.KindName;

    public string Description => "Forks a production line from its live twins (or its state at a past time) and runs it with what-ifs.";

    public string TwinModel => LineTwins.LineModel;

    public IReadOnlyCollection<string> Keys { get; } = ["line"];

    public RunSettings RunDefaults => LineScenarioFile.RunDefaults;

    public ResultView View => LineExperiment.View;

    public string Usage => $"\"line\": the id of a {LineTwins.LineModel} twin";

    public bool Recognizes(DocumentMap request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Contains("line");
    }

    public async Task<Result<ISimulationPlan>> PrepareAsync(ScenarioRequest request, ScenarioContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var document = request.Document;
        var lineId = document.Text("line") ?? request.TwinId ?? throw document.Error($"say which line to fork: {Usage}");
        if (document.Text("line") is not null && request.TwinId is { } twin && twin != lineId)
        {
            throw document.Required("twin", "").Error($"names twin '{twin}' and \"line\" names '{lineId}': give one of them");
        }
        var read = LineTwins.Read(context.Graph, lineId);
        if (!read.IsSuccess)
        {
            return read.Error;
        }
        var (line, state) = read.Value;
        IReadOnlyDictionary<string, LineDefinition> whatIf = new Dictionary<string, LineDefinition>();
        switch (document["whatIf"])
        {
            case DocumentMap variants:
                whatIf = LineScenarioFile.ReadWhatIf(variants, line);
                break;
            case DocumentScalar yaml:
                // A scenario file's whatIf section as it was written (what `doppel simulate FILE --twin ID` sends).
                var parsed = LineScenarioFile.ParseWhatIf(line, yaml.Text);
                if (!parsed.IsSuccess)
                {
                    return parsed.Error;
                }
                whatIf = parsed.Value;
                break;
            case { } other:
                throw other.Error("must be an object of what-ifs, or the YAML text of one");
        }
        LineState? initial = request.Start.IsEmpty ? null
            : request.Start.At is { } at ? await StateAtAsync(context, lineId, line, at, ct)
            : state;
        return Result<ISimulationPlan>.Ok(new Fork(new LineScenarioFile(line, whatIf, request.Run), lineId, request.Start, initial));
    }

    /// <summary>The line's state at a past time: each buffer's last recorded level and each station's last recorded state up to then.</summary>
    private static async Task<LineState> StateAtAsync(ScenarioContext context, string lineId, LineDefinition line, DateTimeOffset at, CancellationToken ct)
    {
        var layout = LineTwins.Layout(context.Graph, lineId).Value!;
        var points = (await context.LatestAtAsync([.. layout.BufferIds, .. layout.StationIds], ["level", "state"], at, ct))
            .ToDictionary(p => (p.TwinId, p.Name));
        var levels = layout.BufferIds.Select((id, i) => (int)Math.Clamp(points.GetValueOrDefault((id, "level")).Number ?? 0, 0, line.Buffers[i])).ToList();
        var states = layout.StationIds.Select(id => Text(points.GetValueOrDefault((id, "state")))).ToList();
        return new LineState(levels, [.. states.Select(s => s == "down")]) { StationStates = states };

        static string? Text(HistoryPoint point) => point.Json is { } json && JsonNode.Parse(json) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
    }

    /// <summary>A line forked from where it stood: the experiment, and the fork's line, start, crews and initial state in the result.</summary>
    private sealed class Fork(LineScenarioFile file, string lineId, ScenarioStart start, LineState? initial) : ISimulationPlan
    {
        public RunSettings Run => file.Run;

        public int Total => (file.WhatIf.Count + 1) * file.Run.Replications;

        public JsonObject Execute(IProgress<ExperimentProgress>? progress, CancellationToken ct)
        {
            var line = file.Baseline;
            var response = LineExperiment.ToJson(LineExperiment.Run(file, progress, ct, initial: initial));
            response["line"] = lineId;
            response["start"] = start.ToString();
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
    }
}
