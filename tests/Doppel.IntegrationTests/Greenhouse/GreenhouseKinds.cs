using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Packs;
using Doppel.Simulation.Experiments;

namespace Doppel.IntegrationTests.Greenhouse;

/// <summary>What the greenhouse kinds share: their run, their view, reading what-ifs, and running a climate over replications.</summary>
internal static class GreenhouseRuns
{
    /// <summary>Two weeks of hours after a day of warm-up.</summary>
    public static RunSettings Defaults { get; } = new() { Duration = 14 * 24, Warmup = 24 };

    public static ResultView View { get; } = new()
    {
        Columns = [new("heating", "heating"), new("meanTemperature", "mean °C")],
        Compared = [new("heating", "heating"), new("meanTemperature", "mean °C")],
        Plot = new ResultPlot("heating", "Heating (95% interval)", "share of time the heater is on"),
    };

    /// <summary>What-ifs: each changes the setpoint, the heater or the insulation (time constant).</summary>
    public static Dictionary<string, GreenhouseClimate> WhatIf(DocumentMap? whatIf, GreenhouseClimate baseline)
    {
        var variants = new Dictionary<string, GreenhouseClimate>(StringComparer.Ordinal);
        foreach (var (key, value) in whatIf?.Entries ?? [])
        {
            var changes = value.ExpectMap("a mapping of changes: { setpoint, heaterPower, timeConstant }").Allow("setpoint", "heaterPower", "timeConstant");
            variants[key.Text] = baseline with
            {
                Setpoint = changes.Number("setpoint") ?? baseline.Setpoint,
                HeaterPower = changes.Number("heaterPower") ?? baseline.HeaterPower,
                TimeConstant = changes.Number("timeConstant") ?? baseline.TimeConstant,
            };
            if (variants[key.Text].Validate() is { Count: > 0 } errors)
            {
                throw changes.Error(string.Join(" ", errors));
            }
        }
        return variants;
    }

    public static (double Mean, double Spread) Outside(DocumentMap? outside)
    {
        outside?.Allow("mean", "spread");
        return (outside?.Number("mean") ?? 5, outside?.Number("spread") ?? 3);
    }

    public static JsonObject Run(GreenhouseClimate baseline, IReadOnlyDictionary<string, GreenhouseClimate> whatIf, double temperature, RunSettings run, IProgress<ExperimentProgress>? progress, CancellationToken ct)
    {
        var climates = new List<(string Name, GreenhouseClimate Climate)> { (ExperimentJson.Baseline, baseline) };
        climates.AddRange(whatIf.Select(w => (w.Key, w.Value)));
        var result = new ExperimentRunner(new ExperimentOptions { Seed = run.Seed, Replications = run.Replications })
            .Run([.. climates.Select(c => new Scenario(c.Name))], (context, token) =>
            {
                var (heating, mean) = new GreenhouseModel(new Doppel.Simulation.Simulation(context.Seed), climates[context.ScenarioIndex].Climate, temperature).Run(run.Duration, run.Warmup);
                return new Dictionary<string, double> { ["heating"] = heating, ["meanTemperature"] = mean };
            }, progress, ct);
        return ExperimentJson.Write(result, View);
    }
}

/// <summary>Forks a live greenhouse twin from its temperature (now, or at a past time from history) with what-ifs.</summary>
public sealed class GreenhouseScenarioKind : IScenarioKind
{
    public string Name => "greenhouse";

    public string Description => "Forks a greenhouse from its live temperature and runs its climate with what-ifs.";

    public string TwinModel => GreenhousePack.Model;

    public IReadOnlyCollection<string> Keys { get; } = ["greenhouse", "outside"];

    public RunSettings RunDefaults => GreenhouseRuns.Defaults;

    public ResultView View => GreenhouseRuns.View;

    public string Usage => $"\"greenhouse\": the id of a {GreenhousePack.Model} twin";

    public bool Recognizes(DocumentMap request) => request.Contains("greenhouse");

    public async Task<Result<ISimulationPlan>> PrepareAsync(ScenarioRequest request, ScenarioContext context, CancellationToken ct)
    {
        var id = request.Document.Text("greenhouse") ?? request.TwinId ?? throw request.Document.Error($"say which greenhouse: {Usage}");
        if (!context.Graph.TryGetTwin(id, out var twin))
        {
            return Result<ISimulationPlan>.Fail("DigitalTwinNotFound", $"There is no digital twin with id '{id}'.");
        }
        if (!context.IsOfModel(twin, GreenhousePack.Model))
        {
            return Result<ISimulationPlan>.Fail("InvalidArgument", $"Twin '{id}' is a {twin.Model.Value}, not a {GreenhousePack.Model}.");
        }
        double Number(string name) => twin.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : double.NaN;
        var (mean, spread) = GreenhouseRuns.Outside(request.Document.Map("outside"));
        var climate = new GreenhouseClimate(Number("setpoint"), Number("heaterPower"), Number("timeConstant"), mean, spread);
        if (double.IsNaN(climate.Setpoint) || double.IsNaN(climate.HeaterPower) || climate.Validate().Count > 0)
        {
            return Result<ISimulationPlan>.Fail("ValidationFailed", $"Greenhouse '{id}' needs a setpoint, a heaterPower and a positive timeConstant.");
        }
        var whatIf = GreenhouseRuns.WhatIf(request.Document.Map("whatIf"), climate);
        var temperature = request.Start.IsEmpty ? mean
            : request.Start.At is { } at ? (await context.LatestAtAsync([id], ["temperature"], at, ct)).FirstOrDefault().Number ?? mean
            : Number("temperature") is var now && double.IsFinite(now) ? now : mean;
        return Result<ISimulationPlan>.Ok(new Fork(id, climate, whatIf, temperature, request.Run, request.Start));
    }

    private sealed class Fork(string id, GreenhouseClimate climate, Dictionary<string, GreenhouseClimate> whatIf, double temperature, RunSettings run, ScenarioStart start) : ISimulationPlan
    {
        public RunSettings Run => run;

        public int Total => (whatIf.Count + 1) * run.Replications;

        public JsonObject Execute(IProgress<ExperimentProgress>? progress, CancellationToken ct)
        {
            var result = GreenhouseRuns.Run(climate, whatIf, temperature, run, progress, ct);
            result["greenhouse"] = id;
            result["start"] = start.ToString();
            result["initialTemperature"] = temperature;
            return result;
        }
    }
}

/// <summary>Greenhouse files: <c>greenhouse: { temperature, setpoint, heaterPower, timeConstant }</c>, <c>outside: { mean, spread }</c>, <c>whatIf</c>.</summary>
public sealed class GreenhouseExperimentKind : IExperimentKind
{
    public string Name => "greenhouse";

    public string Description => "A greenhouse's climate over replications, with what-ifs.";

    public IReadOnlyCollection<string> Keys { get; } = ["greenhouse", "outside", "whatIf"];

    public RunSettings RunDefaults => GreenhouseRuns.Defaults;

    public ResultView View => GreenhouseRuns.View;

    public bool Recognizes(DocumentMap document) => document.Contains("greenhouse");

    public IExperimentPlan Read(ExperimentDocument document)
    {
        var node = document.Root.Required("greenhouse", "its temperature, setpoint, heaterPower and timeConstant").ExpectMap("a mapping").Allow("temperature", "setpoint", "heaterPower", "timeConstant");
        var (mean, spread) = GreenhouseRuns.Outside(document.Root.Map("outside"));
        var climate = new GreenhouseClimate(node.Number("setpoint") ?? 20, node.Number("heaterPower") ?? 7.5, node.Number("timeConstant") ?? 4, mean, spread);
        if (climate.Validate() is { Count: > 0 } errors)
        {
            throw node.Error(string.Join(" ", errors));
        }
        return new Plan(climate, GreenhouseRuns.WhatIf(document.Root.Map("whatIf"), climate), node.Number("temperature") ?? mean, document.Run);
    }

    private sealed class Plan(GreenhouseClimate climate, Dictionary<string, GreenhouseClimate> whatIf, double temperature, RunSettings run) : IExperimentPlan
    {
        public RunSettings Run => run;

        public int Total => (whatIf.Count + 1) * run.Replications;

        public IOptimization? Optimization => null;

        public IExperimentPlan WithRun(RunSettings other) => new Plan(climate, whatIf, temperature, other);

        public JsonObject Execute(IProgress<ExperimentProgress>? progress, CancellationToken ct) => GreenhouseRuns.Run(climate, whatIf, temperature, run, progress, ct);
    }
}
