using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Foresight;

/// <summary>
/// A scenario file of kind <c>engine-maintenance</c>: a fleet's predictions, the planning grid, the costs and how hard to
/// search; the run's replications are the simulated horizons each candidate plan is judged on, and its duration is the
/// horizon (periods × period), which the file states in <c>schedule</c>.
/// </summary>
/// <example>
/// <code>
/// kind: engine-maintenance
/// fleet:
///   coverage: 0.9                 # what the intervals cover
///   engines:
///     - { id: engine-031, rul: 18, lower: 7, upper: 31 }
///     - { id: engine-049, rul: 25, lower: 12, upper: 40 }
/// schedule: { period: 10, periods: 6, capacity: 1 }
/// costs: { service: 10, failure: 100, grounded: 2, unusedLife: 0.2 }
/// search: { population: 24, generations: 20, localEvaluations: 5000 }
/// run: { replications: 100, seed: 1 }
/// </code>
/// </example>
public sealed record EngineMaintenanceFile(FleetMaintenanceProblem Problem, MaintenanceSearch Search, RunSettings Run)
{
    /// <summary>100 simulated horizons per candidate plan, seed 1 (the duration is the schedule's horizon).</summary>
    public static RunSettings RunDefaults { get; } = new() { Duration = 60, Warmup = 0, Replications = 100 };

    /// <summary>The planning grid unless a file or the fleet's twin says otherwise: 6 periods of 10 cycles, 2 jobs per period.</summary>
    public static MaintenanceSchedule DefaultSchedule { get; } = new(10, 6, 2);

    /// <summary>Costs unless a file or the fleet's twin says otherwise: a failure costs ten planned services.</summary>
    public static MaintenanceCosts DefaultCosts { get; } = new(Service: 10, Failure: 100, Grounded: 2, UnusedLife: 0.2);

    public const double DefaultCoverage = 0.9;

    /// <summary>The keys of a file besides <c>kind</c>, <c>name</c> and <c>run</c>.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["fleet", "schedule", "costs", "search"];

    private static readonly string[] FleetKeys = ["coverage", "engines"];
    private static readonly string[] EngineKeys = ["id", "rul", "lower", "upper"];
    private static readonly string[] ScheduleKeys = ["period", "periods", "capacity"];
    private static readonly string[] CostKeys = ["service", "failure", "grounded", "unusedLife"];
    private static readonly string[] SearchKeys = ["population", "generations", "localEvaluations"];

    /// <summary>Reads a file whose run the host has read; errors say where (line and path) and why.</summary>
    public static EngineMaintenanceFile Read(DocumentMap root, RunSettings run)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(run);
        var fleet = root.Required("fleet", "the engines and their predictions").ExpectMap("a mapping with 'engines' and optionally 'coverage'").Allow(FleetKeys);
        var coverage = fleet.Number("coverage") ?? DefaultCoverage;
        if (!(coverage > 0 && coverage < 1))
        {
            throw fleet.Required("coverage", "").Error($"must be between 0 and 1, exclusive (0.9 for 90% intervals), got {coverage}");
        }
        var list = fleet.Required("engines", "a list of { id, rul, lower, upper }").ExpectList("a list of { id, rul, lower, upper }");
        if (list.Count == 0)
        {
            throw list.Error("lists no engine");
        }
        var engines = new List<EnginePrediction>();
        foreach (var item in list.Items)
        {
            var map = item.ExpectMap("an engine: { id, rul, lower, upper }").Allow(EngineKeys);
            var id = map.Required("id", "the engine's name").ExpectScalar("a text").Text;
            var rul = map.Required("rul", "its predicted remaining life in cycles").ExpectScalar("a number").Number();
            var prediction = new EnginePrediction(id, rul, map.Number("lower") ?? rul, map.Number("upper") ?? rul);
            if (prediction.Problem() is { } problem)
            {
                throw map.Error(problem);
            }
            if (engines.Any(e => e.EngineId == id))
            {
                throw map.Required("id", "").Error($"engine '{id}' is listed twice");
            }
            engines.Add(prediction);
        }
        var schedule = ReadSchedule(root.Map("schedule", "a mapping: { period, periods, capacity }"), DefaultSchedule);
        var costs = ReadCosts(root.Map("costs", "a mapping: { service, failure, grounded, unusedLife }"), DefaultCosts);
        var search = ReadSearch(root.Map("search", "a mapping: { population, generations, localEvaluations }"));
        if (root.Map("run") is { } runSection && runSection.Number("warmup") is > 0)
        {
            throw runSection.Required("warmup", "").Error("does not apply to engine-maintenance (every horizon starts now, from the predictions): leave it out");
        }
        var problemDefinition = new FleetMaintenanceProblem(engines, coverage, schedule.Period, schedule.Periods, schedule.Capacity, costs);
        return new EngineMaintenanceFile(problemDefinition, search, Horizon(run, problemDefinition));
    }

    /// <summary>The run with its duration set to the problem's horizon, which the schedule decides.</summary>
    public static RunSettings Horizon(RunSettings run, FleetMaintenanceProblem problem)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(problem);
        return run with { Duration = problem.Horizon, Warmup = 0 };
    }

    /// <summary>A <c>schedule</c> section over <paramref name="defaults"/>; null keeps them.</summary>
    public static MaintenanceSchedule ReadSchedule(DocumentMap? section, MaintenanceSchedule defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        if (section is null)
        {
            return defaults;
        }
        section.Allow(ScheduleKeys);
        var schedule = new MaintenanceSchedule(section.Number("period") ?? defaults.Period, section.Integer("periods") ?? defaults.Periods, section.Integer("capacity") ?? defaults.Capacity);
        if (!(schedule.Period > 0))
        {
            throw section.Required("period", "").Error($"must be a positive number of cycles, got {schedule.Period}");
        }
        if (schedule.Periods is < 1 or > 1000)
        {
            throw (section["periods"] ?? section).Error($"periods must be from 1 to 1000, got {schedule.Periods}");
        }
        if (schedule.Capacity < 1)
        {
            throw (section["capacity"] ?? section).Error($"capacity must be at least 1 job per period, got {schedule.Capacity}");
        }
        return schedule;
    }

    /// <summary>A <c>costs</c> section over <paramref name="defaults"/>; null keeps them.</summary>
    public static MaintenanceCosts ReadCosts(DocumentMap? section, MaintenanceCosts defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        if (section is null)
        {
            return defaults;
        }
        section.Allow(CostKeys);
        var costs = new MaintenanceCosts(
            Cost(section, "service") ?? defaults.Service,
            Cost(section, "failure") ?? defaults.Failure,
            Cost(section, "grounded") ?? defaults.Grounded,
            Cost(section, "unusedLife") ?? defaults.UnusedLife);
        return costs;

        static double? Cost(DocumentMap section, string key) => section.Number(key) is { } value && value < 0
            ? throw section.Required(key, "").Error($"must be 0 or more, got {value}")
            : section.Number(key);
    }

    /// <summary>A <c>search</c> section; null gives the defaults.</summary>
    public static MaintenanceSearch ReadSearch(DocumentMap? section)
    {
        var defaults = new MaintenanceSearch();
        if (section is null)
        {
            return defaults;
        }
        section.Allow(SearchKeys);
        var search = new MaintenanceSearch(section.Integer("population") ?? defaults.Population, section.Integer("generations") ?? defaults.Generations,
            section.Integer("localEvaluations") ?? defaults.LocalEvaluations);
        if (search.Population is < 2 or > 1000)
        {
            throw section.Required("population", "").Error($"must be from 2 to 1000, got {search.Population}");
        }
        if (search.Generations is < 1 or > 10_000)
        {
            throw section.Required("generations", "").Error($"must be from 1 to 10000, got {search.Generations}");
        }
        if (search.LocalEvaluations is < 0 or > 1_000_000)
        {
            throw section.Required("localEvaluations", "").Error($"must be from 0 to 1000000, got {search.LocalEvaluations}");
        }
        return search;
    }
}
