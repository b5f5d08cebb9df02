using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Simulation.Experiments;
using Doppel.Twins;

namespace Doppel.Packs.Foresight;

/// <summary>
/// The maintenance decision on live twins (<c>POST /doppel/scenarios</c>, <c>doppel simulate --twin fleet-1</c>): the
/// fleet twin's engines (its <c>engines</c> relationships) with the predictions their predictor last wrote
/// (<c>rul</c>, <c>rulLower</c>, <c>rulUpper</c>), planned with the fleet's own settings (crew capacity, period, costs),
/// which the request's <c>schedule</c>, <c>costs</c> and <c>search</c> may override. Engines without a prediction yet
/// are left out and named in the result.
/// </summary>
public sealed class FleetMaintenanceScenarioKind : IScenarioKind
{
    public string Name => EngineMaintenanceKind.KindName;

    public string Description => "Plans when to service each engine of a live fleet from its current predictions, crew capacity and costs.";

    public string TwinModel => Turbofan.FleetModelId;

    public IReadOnlyCollection<string> Keys { get; } = ["fleet", "schedule", "costs", "search"];

    public RunSettings RunDefaults => EngineMaintenanceFile.RunDefaults;

    public ResultView View => EngineMaintenanceStudy.View;

    public string Usage => $"\"fleet\": the id of a {Turbofan.FleetModelId} twin";

    public bool Recognizes(DocumentMap request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request["fleet"] is DocumentScalar;
    }

    public async Task<Result<ISimulationPlan>> PrepareAsync(ScenarioRequest request, ScenarioContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var document = request.Document;
        if (document["whatIf"] is { } whatIf)
        {
            throw whatIf.Error("engine-maintenance compares its own plans (optimized, rule, run-to-failure): it takes no what-ifs");
        }
        var fleetId = document.Text("fleet") ?? request.TwinId ?? throw document.Error($"say which fleet to plan: {Usage}");
        if (document.Text("fleet") is not null && request.TwinId is { } twin && twin != fleetId)
        {
            throw document.Required("twin", "").Error($"names twin '{twin}' and \"fleet\" names '{fleetId}': give one of them");
        }
        if (request.Start.IsEmpty)
        {
            return Result<ISimulationPlan>.Fail("InvalidArgument", "engine-maintenance plans from the engines' predictions, now or at a past time ('at'): an empty fleet (\"fromLiveState\": false) has none.");
        }
        var read = await ReadAsync(context, fleetId, request.Start.At, ct);
        if (!read.IsSuccess)
        {
            return Result<ISimulationPlan>.Fail(read.Error);
        }
        var (fleet, engines, waiting) = read.Value;
        var schedule = EngineMaintenanceFile.ReadSchedule(document.Map("schedule", "a mapping: { period, periods, capacity }"), new MaintenanceSchedule(
            Number(fleet, "periodCycles") ?? EngineMaintenanceFile.DefaultSchedule.Period,
            (int?)Number(fleet, "periods") ?? EngineMaintenanceFile.DefaultSchedule.Periods,
            (int?)Number(fleet, "crewCapacity") ?? EngineMaintenanceFile.DefaultSchedule.Capacity));
        var defaults = EngineMaintenanceFile.DefaultCosts;
        var costs = EngineMaintenanceFile.ReadCosts(document.Map("costs", "a mapping: { service, failure, grounded, unusedLife }"), new MaintenanceCosts(
            Number(fleet, "serviceCost") ?? defaults.Service,
            Number(fleet, "failureCost") ?? defaults.Failure,
            Number(fleet, "groundedCost") ?? defaults.Grounded,
            Number(fleet, "unusedLifeCost") ?? defaults.UnusedLife));
        var search = EngineMaintenanceFile.ReadSearch(document.Map("search", "a mapping: { population, generations, localEvaluations }"));
        var problem = new FleetMaintenanceProblem(engines, Number(fleet, "coverage") ?? EngineMaintenanceFile.DefaultCoverage, schedule.Period, schedule.Periods, schedule.Capacity, costs);
        if (problem.Validate() is { Count: > 0 } errors)
        {
            return Result<ISimulationPlan>.Fail("InvalidArgument", $"Fleet '{fleetId}': {string.Join(" ", errors)}");
        }
        var study = new EngineMaintenanceStudy(new EngineMaintenanceFile(problem, search, EngineMaintenanceFile.Horizon(request.Run, problem)));
        return Result<ISimulationPlan>.Ok(new Live(study, fleetId, request.Start, waiting));
    }

    /// <summary>
    /// The fleet twin, its engines with a prediction (in id order), and those without one: the predictions on the twins
    /// now, or the newest ones history holds at <paramref name="at"/>.
    /// </summary>
    private static async Task<Result<(TwinDocument Fleet, List<EnginePrediction> Engines, List<string> Waiting)>> ReadAsync(ScenarioContext context, string fleetId, DateTimeOffset? at, CancellationToken ct)
    {
        if (!context.Graph.TryGetTwin(fleetId, out var fleet))
        {
            return Result<(TwinDocument, List<EnginePrediction>, List<string>)>.Fail("DigitalTwinNotFound", $"There is no digital twin with id '{fleetId}'.");
        }
        if (!context.IsOfModel(fleet, Turbofan.FleetModelId))
        {
            return Result<(TwinDocument, List<EnginePrediction>, List<string>)>.Fail("InvalidArgument", $"Twin '{fleetId}' is a {fleet.Model.Value}, not a {Turbofan.FleetModelId}.");
        }
        var ids = context.Graph.Outgoing(fleetId, Turbofan.EnginesRelationship).Select(r => r.TargetId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        string[] names = [Turbofan.Rul, Turbofan.RulLower, Turbofan.RulUpper];
        Func<string, string, double?> value;
        if (at is { } time)
        {
            var points = (await context.LatestAtAsync(ids, names, time, ct)).ToDictionary(p => (p.TwinId, p.Name));
            value = (id, name) => points.TryGetValue((id, name), out var point) && point.Number is { } n && double.IsFinite(n) ? n : null;
        }
        else
        {
            value = (id, name) => context.Graph.TryGetTwin(id, out var engine) ? Number(engine, name) : null;
        }
        var engines = new List<EnginePrediction>();
        var waiting = new List<string>();
        foreach (var id in ids)
        {
            if (value(id, Turbofan.Rul) is { } rul)
            {
                var prediction = new EnginePrediction(id, rul, value(id, Turbofan.RulLower) ?? rul, value(id, Turbofan.RulUpper) ?? rul);
                if (prediction.Problem() is null)
                {
                    engines.Add(prediction);
                    continue;
                }
            }
            waiting.Add(id);
        }
        if (engines.Count == 0)
        {
            return Result<(TwinDocument, List<EnginePrediction>, List<string>)>.Fail("InvalidArgument",
                $"No engine of fleet '{fleetId}' has a prediction {(at is null ? "yet" : "at that time")} ({Turbofan.Rul}, {Turbofan.RulLower}, {Turbofan.RulUpper}): assign a predictor to {Turbofan.ModelId} and let the engines report.");
        }
        return Result<(TwinDocument, List<EnginePrediction>, List<string>)>.Ok((fleet, engines, waiting));
    }

    private static double? Number(TwinDocument twin, string name) =>
        twin.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number) ? number : null;

    private sealed class Live(EngineMaintenanceStudy study, string fleetId, ScenarioStart start, IReadOnlyList<string> waiting) : ISimulationPlan
    {
        public RunSettings Run => study.File.Run;

        public int Total => study.Total;

        public JsonObject Execute(IProgress<ExperimentProgress>? progress, CancellationToken ct)
        {
            var result = study.Execute(progress, ct);
            result["fleet"] = fleetId;
            result["start"] = start.ToString();
            result["withoutPrediction"] = new JsonArray([.. waiting.Select(id => (JsonNode)id)]);
            return result;
        }
    }
}
