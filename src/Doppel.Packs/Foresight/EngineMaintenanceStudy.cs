using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Foresight;

/// <summary>
/// The decision itself: the planner searches the plans (<see cref="MaintenancePlanner"/>), then the plan it found, the
/// rule it started from, and running every engine to failure are compared on fresh replications (paired, common random
/// numbers): their costs with confidence intervals, failures, services, unused life, grounded cycles and postponed services.
/// </summary>
public sealed class EngineMaintenanceStudy(EngineMaintenanceFile file)
{
    public const string Optimized = "optimized";
    public const string Rule = "rule";
    public const string RunToFailure = "run-to-failure";

    /// <summary>How hosts print the result: costs and counts per plan, the optimized plan's and run-to-failure's costs compared with the rule's.</summary>
    public static ResultView View { get; } = new()
    {
        Columns =
        [
            new KpiColumn("cost", "cost"),
            new KpiColumn("failures", "failures"),
            new KpiColumn("services", "services"),
            new KpiColumn("unusedLife", "unused life"),
            new KpiColumn("groundedCycles", "grounded"),
            new KpiColumn("postponed", "postponed"),
        ],
        Fields = ["servicesPerPeriod"],
        Compared = [new KpiColumn("cost", "cost"), new KpiColumn("failures", "failures")],
        Baseline = Rule,
        Plot = new ResultPlot("cost", "Cost of the maintenance plan over the horizon", "cost"),
        Describe = Description,
    };

    public EngineMaintenanceFile File { get; } = file ?? throw new ArgumentNullException(nameof(file));

    /// <summary>Progress steps: the genetic search's generations, the local search, and the comparison.</summary>
    public int Total => File.Search.Generations + 2;

    /// <summary>Searches, compares on fresh replications, and returns the result in <see cref="ExperimentJson"/>'s shape with the plan.</summary>
    public JsonObject Execute(IProgress<ExperimentProgress>? progress, CancellationToken ct)
    {
        var (found, result) = Decide(progress, ct);
        var problem = File.Problem;
        var plans = Plans(found);
        var json = ExperimentJson.Write(result, View, (scenario, entry) =>
            entry["servicesPerPeriod"] = string.Join(' ', problem.Booked(plans[scenario.Scenario.Name])));
        var plan = new JsonArray();
        for (var i = 0; i < problem.Engines.Count; i++)
        {
            var engine = problem.Engines[i];
            plan.Add(new JsonObject
            {
                ["engine"] = engine.EngineId,
                ["rul"] = engine.Rul,
                ["rulLower"] = engine.Lower,
                ["rulUpper"] = engine.Upper,
                ["period"] = Period(found.Plan[i]),
                ["serviceAt"] = found.Plan[i] == problem.NotServiced ? null : found.Plan[i] * problem.PeriodLength,
                ["rulePeriod"] = Period(found.RulePlan[i]),
            });
        }
        json["plan"] = plan;
        json["schedule"] = new JsonObject
        {
            ["engines"] = problem.Engines.Count,
            ["period"] = problem.PeriodLength,
            ["periods"] = problem.Periods,
            ["capacity"] = problem.Capacity,
            ["coverage"] = problem.Coverage,
        };
        json["costs"] = new JsonObject
        {
            ["service"] = problem.Costs.Service,
            ["failure"] = problem.Costs.Failure,
            ["grounded"] = problem.Costs.Grounded,
            ["unusedLife"] = problem.Costs.UnusedLife,
        };
        json["search"] = new JsonObject
        {
            ["population"] = File.Search.Population,
            ["generations"] = found.Generations,
            ["plansEvaluated"] = found.Evaluated,
            ["geneticCost"] = found.GeneticCost,
            ["localOptimum"] = found.LocalOptimum,
            ["replications"] = File.Run.Replications,
            ["cost"] = new JsonObject { ["mean"] = found.Cost.Mean, ["halfWidth"] = found.Cost.HalfWidth },
        };
        return json;

        JsonNode? Period(int period) => period == problem.NotServiced ? null : period + 1;
    }

    /// <summary>The same as a report for people (<c>doppel optimize FILE</c>): the search, the comparison, and the plan engine by engine.</summary>
    public Report Report(IProgress<ExperimentProgress>? progress, CancellationToken ct)
    {
        var (found, result) = Decide(progress, ct);
        var problem = File.Problem;
        var rows = new List<IReadOnlyList<string>>();
        foreach (var scenario in result.Scenarios)
        {
            var cost = scenario["cost"];
            var versus = scenario.Scenario.Name == Rule ? null : result.Compare(Rule, scenario.Scenario.Name, "cost");
            rows.Add(
            [
                scenario.Scenario.Name,
                Invariant($"{cost.Mean:F1} ± {cost.HalfWidth:F1}"),
                Invariant($"{scenario["failures"].Mean:F2}"),
                Invariant($"{scenario["services"].Mean:F2}"),
                versus is null ? "" : Invariant($"{versus.Difference:+0.0;-0.0} ± {versus.HalfWidth:F1}{(versus.IsSignificant ? " *" : "")}"),
            ]);
        }
        var engines = Enumerable.Range(0, problem.Engines.Count)
            .OrderBy(i => found.Plan[i]).ThenBy(i => problem.Engines[i].Lower)
            .Select(i => (IReadOnlyList<string>)
            [
                problem.Engines[i].EngineId,
                Invariant($"{problem.Engines[i].Rul:F0} [{problem.Engines[i].Lower:F0}, {problem.Engines[i].Upper:F0}]"),
                Period(found.RulePlan[i]),
                Period(found.Plan[i]),
            ]).ToList();
        return new Report(
        [
            new ReportText(Describe(problem) + Invariant($" Searched {found.Evaluated} plans ({File.Run.Replications} simulated horizons each, the same lives for every plan): the genetic search over {found.Generations} generations reached {found.GeneticCost:F1}, the local search {found.Cost.Mean:F1} ± {found.Cost.HalfWidth:F1} ({(found.LocalOptimum ? "no single move or swap improves it" : "its budget ran out")}).")),
            new ReportText(Invariant($"On {File.Run.Replications} fresh horizons (seed {File.Run.Seed + 1}), against the rule (service where the interval's lower end falls); * significant at 95%:")),
            new ReportTable(["plan", "cost", "failures", "services", "vs rule"], rows),
            new ReportText("The optimized plan (period 1 starts now; '-' not within the horizon):"),
            new ReportTable(["engine", "rul [interval]", "rule", "optimized"], engines),
        ]);

        string Period(int period) => period == problem.NotServiced ? "-" : (period + 1).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The search, then the three plans on fresh seeds (the search's own figure is flattered by having been picked among many).</summary>
    private (MaintenancePlanResult Found, ExperimentResult Compared) Decide(IProgress<ExperimentProgress>? progress, CancellationToken ct)
    {
        var simulation = new FleetMaintenanceSimulation(File.Problem);
        var planner = new MaintenancePlanner(simulation);
        var generations = progress is null ? null : new Progress<int>(g => progress.Report(new ExperimentProgress(g, Total)));
        var found = planner.Optimize(File.Search, File.Run.Seed, File.Run.Replications, generations, ct);
        var plans = Plans(found);
        var runner = new ExperimentRunner(new ExperimentOptions { Seed = File.Run.Seed + 1, Replications = File.Run.Replications });
        var compared = runner.Run([new Scenario(Rule), new Scenario(Optimized), new Scenario(RunToFailure)], (context, _) =>
        {
            var outcome = simulation.Run(plans[context.Scenario.Name], context.Seed);
            return new Dictionary<string, double>
            {
                ["cost"] = outcome.Cost,
                ["failures"] = outcome.Failures,
                ["services"] = outcome.Services,
                ["unusedLife"] = outcome.UnusedLife,
                ["groundedCycles"] = outcome.GroundedCycles,
                ["postponed"] = outcome.Postponed,
            };
        }, cancellationToken: ct);
        progress?.Report(new ExperimentProgress(Total, Total));
        return (found, compared);
    }

    private Dictionary<string, IReadOnlyList<int>> Plans(MaintenancePlanResult found) => new(StringComparer.Ordinal)
    {
        [Rule] = found.RulePlan,
        [Optimized] = found.Plan,
        [RunToFailure] = [.. Enumerable.Repeat(File.Problem.NotServiced, File.Problem.Engines.Count)],
    };

    private static string Describe(FleetMaintenanceProblem problem) => Invariant(
        $"{problem.Engines.Count} engines, {problem.Periods} periods of {problem.PeriodLength:G} cycles, the crew does {problem.Capacity} jobs a period; costs: service {problem.Costs.Service:G}, failure {problem.Costs.Failure:G}, grounded {problem.Costs.Grounded:G}/cycle, unused life {problem.Costs.UnusedLife:G}/cycle.");

    private static string? Description(JsonObject result) =>
        result["schedule"] is JsonObject schedule && result["search"] is JsonObject search
            ? Invariant($"{schedule["engines"]} engines, {schedule["periods"]} periods of {schedule["period"]} cycles, {schedule["capacity"]} jobs a period; the optimizer searched {search["plansEvaluated"]} plans; the plan per engine is in the JSON output (--output json).")
            : null;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
