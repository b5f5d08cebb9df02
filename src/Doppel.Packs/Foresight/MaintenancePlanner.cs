using Doppel.Simulation.Experiments;
using Doppel.Simulation.Optimization;

namespace Doppel.Packs.Foresight;

/// <summary>
/// Chooses when to service each engine: the kernel's <see cref="AllocationOptimizer"/> (a genetic algorithm judging
/// every candidate on the same replications) searches the plans, each judged by its mean cost over simulated horizons
/// (<see cref="FleetMaintenanceSimulation"/>), starting from the rule a planner would apply by hand (<see cref="RulePlan"/>).
/// </summary>
/// <remarks>
/// A plan is an allocation: a slot per engine holding its period (0 to P − 1, or P for not serviced) and one slack slot
/// holding what the engines leave of the budget N·P, so that moving a unit between two slots delays one engine and
/// advances another (or takes it from or gives it to the slack) and every vector of periods is reachable. A plan that
/// books more services in a period than the crew can do scores worse than any plan that does not (a penalty above the
/// cost of servicing no engine at all, which bounds the best plan's), so the search returns a plan the crew can keep.
/// </remarks>
public sealed class MaintenancePlanner(FleetMaintenanceSimulation simulation)
{
    private readonly FleetMaintenanceProblem _problem = (simulation ?? throw new ArgumentNullException(nameof(simulation))).Problem;

    /// <summary>
    /// The rule by hand: service each engine in the period where its interval's lower end falls (before failure becomes
    /// likely), not at all when that is beyond the horizon; the most urgent engines (lowest lower end) first, and when the
    /// crew is full, in the latest earlier period with room, else the earliest later one.
    /// </summary>
    public IReadOnlyList<int> RulePlan()
    {
        var plan = new int[_problem.Engines.Count];
        var booked = new int[_problem.Periods];
        var order = Enumerable.Range(0, plan.Length).OrderBy(i => _problem.Engines[i].Lower).ThenBy(i => i);
        foreach (var engine in order)
        {
            var lower = Math.Max(0, _problem.Engines[engine].Lower);
            if (lower >= _problem.Horizon)
            {
                plan[engine] = _problem.NotServiced;
                continue;
            }
            var wanted = Math.Min(_problem.Periods - 1, (int)Math.Floor(lower / _problem.PeriodLength));
            var period = Enumerable.Range(0, wanted + 1).Reverse().Concat(Enumerable.Range(wanted + 1, _problem.Periods - wanted - 1))
                .Cast<int?>().FirstOrDefault(p => booked[p!.Value] < _problem.Capacity);
            plan[engine] = period ?? _problem.NotServiced;
            if (period is { } p)
            {
                booked[p]++;
            }
        }
        return plan;
    }

    /// <summary>One replication's value of a plan for the search: minus its cost, or minus the penalty when it overbooks the crew.</summary>
    public double Objective(IReadOnlyList<int> plan, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var over = _problem.Overbooked(plan);
        return over > 0 ? -Penalty * (1 + over) : -simulation.Run(plan, seed).Cost;
    }

    /// <summary>More than any feasible plan can cost in a horizon where nothing is serviced: every engine failing at once and waiting out the horizon.</summary>
    private double Penalty => 1 + (_problem.Engines.Count * (_problem.Costs.Failure + (_problem.Costs.Grounded * _problem.Horizon)));

    /// <summary>Searches the plans with the kernel's optimizer, every candidate on the same <paramref name="replications"/> seeds.</summary>
    /// <param name="search">Population and generations of the search.</param>
    /// <param name="seed">Seeds the search and the replications.</param>
    /// <param name="replications">Simulated horizons per candidate.</param>
    /// <param name="progress">Reports each finished generation.</param>
    /// <param name="ct">Stops the search.</param>
    public MaintenancePlanResult Optimize(MaintenanceSearch search, ulong seed, int replications, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        var n = _problem.Engines.Count;
        var budget = n * _problem.Periods;
        var allocation = new AllocationProblem(budget, [.. Enumerable.Repeat(0, n + 1)], [.. Enumerable.Repeat(_problem.Periods, n), budget]);
        var options = new AllocationOptimizerOptions
        {
            Seed = seed,
            Replications = replications,
            PopulationSize = search.Population,
            Generations = search.Generations,
            Elite = Math.Min(2, search.Population - 1),
        };
        var rule = RulePlan();
        var result = new AllocationOptimizer(allocation, options).Maximize(
            (slots, replicationSeed) => Objective(Plan(slots), replicationSeed), progress, [.. rule, budget - rule.Sum()], ct);
        var best = Plan(result.Best);
        return new MaintenancePlanResult(best, rule, Negated(result.Objective), result.Evaluated, result.Generations);
    }

    private static int[] Plan(IReadOnlyList<int> slots) => [.. slots.Take(slots.Count - 1)];

    private static KpiSummary Negated(KpiSummary objective) => objective with { Mean = -objective.Mean, Min = -objective.Max, Max = -objective.Min };
}

/// <summary>How hard the planner searches: candidates per generation and generations.</summary>
public sealed record MaintenanceSearch(int Population = 24, int Generations = 20)
{
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Population < 2)
        {
            errors.Add($"population must be at least 2, got {Population}.");
        }
        if (Generations < 1)
        {
            errors.Add($"generations must be at least 1, got {Generations}.");
        }
        return errors;
    }
}

/// <summary>The plan the search found, the rule's plan it started from, the best plan's cost over the search's replications, and the search's size.</summary>
public sealed record MaintenancePlanResult(IReadOnlyList<int> Plan, IReadOnlyList<int> RulePlan, KpiSummary Cost, int Evaluated, int Generations);
