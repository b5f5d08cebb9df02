using Doppel.Simulation;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Manufacturing;

/// <summary>
/// A scenario file of kind <c>line</c>: a baseline line, how long and how often to run it, what-if variants to compare
/// with it, and optionally what to optimize. Every key is checked: one the file does not define is refused with its
/// line and the key it most resembles.
/// </summary>
/// <example>
/// <code>
/// kind: line           # optional: the file's 'line' says it already
/// line:
///   crews: 1            # optional: maintenance crews shared by the stations
///   shifts: { period: 24, shifts: [[6, 14], [14, 22]] }   # optional: when the line works
///   stations:
///     - { name: press, cycleTime: exp(1), timeToFailure: exp(100), timeToRepair: exp(10) }
///     - { name: weld, cycleTime: "normal(1.1, 0.2)", scrapRate: 0.02 }
///   buffers: [3]
/// run: { duration: 100000, warmup: 5000, replications: 20, seed: 1 }
/// whatIf:
///   bigger-buffer: { buffers: [8] }
///   faster-weld: { stations: { weld: { cycleTime: "normal(0.9, 0.2)" } } }
/// </code>
/// </example>
public sealed record LineScenarioFile(LineDefinition Baseline, IReadOnlyDictionary<string, LineDefinition> WhatIf, RunSettings Run)
{
    /// <summary>
    /// A line's run unless its file or request says otherwise, for files and forks alike: 20,000 time units (two weeks
    /// of the sample's minutes, some 200 failures of its least reliable machine) after 1,000 of warm-up, 10
    /// replications, seed 1. A fork is interactive (a request waits for it by default and holds the server's run slot),
    /// and a file states its own run (every sample does), so the defaults favour a prompt answer.
    /// </summary>
    public static RunSettings RunDefaults { get; } = new() { Duration = 20_000, Warmup = 1_000 };

    /// <summary>The keys of a file besides <c>kind</c>, <c>name</c> and <c>run</c>.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["line", "whatIf", "optimize"];

    private static readonly string[] LineKeys = ["stations", "buffers", "crews", "shifts"];
    private static readonly string[] StationKeys =
    [
        "name", "cycleTime", "timeToFailure", "timeToRepair", "failureClock", "scrapRate", "idealCycleTime", "reworkRate",
        "setupTime", "setupEvery", "maintenanceInterval", "maintenanceTime", "thermal",
    ];
    private static readonly string[] ThermalKeys = ["ambient", "rise", "timeConstant", "tripAt", "resumeAt"];
    private static readonly string[] OptimizeKeys = ["buffers", "maintenance", "replications", "generations", "population"];

    /// <summary>
    /// The optional <c>optimize: buffers</c> section: share <c>budget</c> buffer places over the buffers, each between
    /// <c>min</c> and <c>max</c>, maximizing throughput (<c>doppel optimize</c>).
    /// </summary>
    public BufferBudget? Optimize { get; init; }

    /// <summary>The optional <c>optimize: maintenance</c> section: the interval of preventive maintenance for one station, chosen among candidates or searched within a range.</summary>
    public MaintenanceSearch? Maintenance { get; init; }

    /// <summary>Reads a whole file as a line file (whatever its <c>kind</c>); errors say where (line and path) and why.</summary>
    public static Result<LineScenarioFile> Parse(string text)
    {
        var read = PackCatalog.Create([new ManufacturingPack()]).ReadExperiment(text, LineExperimentKind.KindName);
        return read.IsSuccess ? Result<LineScenarioFile>.Ok(((LineExperimentPlan)read.Value.Plan).File) : read.Error;
    }

    /// <summary>Reads the line's keys of a file whose run the host has read.</summary>
    public static LineScenarioFile Read(DocumentMap root, RunSettings run)
    {
        ArgumentNullException.ThrowIfNull(root);
        var lineNode = root.Required("line", "stations and buffers").ExpectMap("a mapping with 'stations' and 'buffers'");
        var baseline = Valid(lineNode, Line(lineNode, null));
        var whatIf = root.Map("whatIf", "a mapping of what-if names to changes") is { } variants
            ? ReadWhatIf(variants, baseline)
            : new Dictionary<string, LineDefinition>(StringComparer.Ordinal);
        var file = new LineScenarioFile(baseline, whatIf, run);
        if (root.Map("optimize", "a mapping: { buffers: {...} } or { maintenance: {...} }") is { } optimize)
        {
            optimize.Allow(OptimizeKeys);
            file = file with
            {
                Optimize = optimize.Map("buffers", "a mapping: { budget, min, max }") is { } buffers ? Budget(buffers, optimize, baseline) : null,
                Maintenance = optimize.Map("maintenance", "a mapping: { station, time, intervals or interval }") is { } maintenance ? MaintenanceChoice(maintenance, optimize, baseline) : null,
            };
        }
        return file;
    }

    /// <summary>Reads what-if variants of a baseline from YAML or JSON text (<c>{"name": {"buffers": [...], "stations": {"id": {...}}}}</c>).</summary>
    public static Result<IReadOnlyDictionary<string, LineDefinition>> ParseWhatIf(LineDefinition baseline, string yamlOrJson)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        var read = DocumentReader.Read(yamlOrJson, variants => ReadWhatIf(variants, baseline));
        return read.IsSuccess ? Result<IReadOnlyDictionary<string, LineDefinition>>.Ok(read.Value) : Result<IReadOnlyDictionary<string, LineDefinition>>.Fail(read.Error.Code, "What-if, " + read.Error.Message);
    }

    /// <summary>What-if variants of a baseline: each changes only what it names; an error at the variant that cannot run.</summary>
    public static IReadOnlyDictionary<string, LineDefinition> ReadWhatIf(DocumentMap variants, LineDefinition baseline)
    {
        ArgumentNullException.ThrowIfNull(variants);
        var whatIf = new Dictionary<string, LineDefinition>(StringComparer.Ordinal);
        foreach (var (key, value) in variants.Entries)
        {
            var changes = value.ExpectMap($"a mapping of changes to the baseline (what-if '{key.Text}')");
            whatIf[key.Text] = Valid(changes, Line(changes, baseline));
        }
        return whatIf;
    }

    private static LineDefinition Valid(DocumentNode node, LineDefinition line) =>
        line.Validate() is { Count: > 0 } errors ? throw node.Error(string.Join(" ", errors)) : line;

    // A variant starts from the baseline and changes only what it names: buffers, or stations by name.
    private static LineDefinition Line(DocumentMap node, LineDefinition? baseline)
    {
        node.Allow(LineKeys);
        var stations = baseline?.Stations.ToList() ?? [];
        if (baseline is null)
        {
            var list = node.Required("stations", "the line's stations, in order").ExpectList("a list of stations");
            stations = [.. list.Items.Select(s => Station(s.ExpectMap("a station: { name, cycleTime, ... }"), null))];
        }
        else if (node.Map("stations", "a mapping of station names to their changes") is { } changes)
        {
            foreach (var (key, value) in changes.Entries)
            {
                var index = stations.FindIndex(s => s.Name == key.Text);
                if (index < 0)
                {
                    throw key.Error($"the baseline has no station '{key.Text}'{(NearestName.Find(key.Text, stations.Select(s => s.Name)) is { } nearest ? $"; did you mean '{nearest}'?" : "")}");
                }
                stations[index] = Station(value.ExpectMap("a mapping of changes to the station"), stations[index]);
            }
        }
        var buffers = node.List("buffers", "a list of capacities") is { } b
            ? b.Integers()
            : baseline?.Buffers ?? throw node.Error("'buffers' (the capacities between stations) is required");
        var shifts = baseline?.Shifts;
        if (node.Map("shifts", "a mapping: { period, shifts: [[start, end], ...] }") is { } calendar)
        {
            calendar.Allow("period", "shifts");
            var period = calendar.Number("period") ?? throw calendar.Error("shifts need a 'period' (e.g. 24 or 1440)");
            var list = calendar.List("shifts", "a list of [start, end] pairs") ?? throw calendar.Error("shifts need 'shifts: [[start, end], ...]' within the 'period'");
            shifts = new ShiftCalendar(period, [.. list.Items.Select(pair => pair is DocumentList { Count: 2 } p ? (p.Numbers()[0], p.Numbers()[1]) : throw pair.Error("a shift is [start, end]"))]);
        }
        return new LineDefinition(stations, buffers) { Crews = node.Integer("crews") ?? baseline?.Crews, Shifts = shifts };
    }

    private static StationDefinition Station(DocumentMap node, StationDefinition? baseline)
    {
        SplitFlowValue(node);
        node.Allow(StationKeys);
        var name = node.Text("name") ?? baseline?.Name ?? throw node.Error("a station needs a 'name'");
        var cycle = Dist(node, "cycleTime") ?? baseline?.CycleTime ?? throw node.Error($"station '{name}' needs a 'cycleTime' such as normal(10, 1)");
        return new StationDefinition(name, cycle)
        {
            TimeToFailure = Dist(node, "timeToFailure") ?? baseline?.TimeToFailure,
            TimeToRepair = Dist(node, "timeToRepair") ?? baseline?.TimeToRepair,
            ScrapRate = node.Number("scrapRate") ?? baseline?.ScrapRate ?? 0,
            IdealCycleTime = node.Number("idealCycleTime") ?? baseline?.IdealCycleTime,
            ReworkRate = node.Number("reworkRate") ?? baseline?.ReworkRate ?? 0,
            SetupTime = Dist(node, "setupTime") ?? baseline?.SetupTime,
            SetupEvery = node.Integer("setupEvery") ?? baseline?.SetupEvery ?? 1,
            MaintenanceInterval = node.Number("maintenanceInterval") ?? baseline?.MaintenanceInterval,
            MaintenanceTime = Dist(node, "maintenanceTime") ?? baseline?.MaintenanceTime,
            Thermal = node.Map("thermal", "a mapping: { ambient, rise, timeConstant, tripAt, resumeAt }") is { } thermal ? Thermal(thermal, baseline?.Thermal) : baseline?.Thermal,
            FailureClock = node["failureClock"] switch
            {
                null => baseline?.FailureClock ?? FailureClock.Working,
                var clock => clock.ExpectScalar("'working' or 'calendar'").Text switch
                {
                    "working" => FailureClock.Working,
                    "calendar" => FailureClock.Calendar,
                    var other => throw clock.Error($"'{other}' is not 'working' or 'calendar'"),
                },
            },
        };
    }

    private static ThermalLimit Thermal(DocumentMap node, ThermalLimit? baseline)
    {
        node.Allow(ThermalKeys);
        double Required(string key, double? fallback) => node.Number(key) ?? fallback ?? throw node.Error($"thermal needs '{key}'");
        return new ThermalLimit(node.Number("ambient") ?? baseline?.Ambient ?? 20, Required("rise", baseline?.Rise), Required("timeConstant", baseline?.TimeConstant),
            Required("tripAt", baseline?.TripAt), Required("resumeAt", baseline?.ResumeAt));
    }

    // `{ name: a, cycleTime: normal(10, 2) }`: in YAML's flow form the comma ends the value, leaving 'normal(10' and a key '2)'.
    private static void SplitFlowValue(DocumentMap node)
    {
        foreach (var (_, value) in node.Entries)
        {
            if (value is DocumentScalar { IsQuoted: false } scalar && scalar.Text.Contains('(', StringComparison.Ordinal) && !scalar.Text.Contains(')', StringComparison.Ordinal))
            {
                throw scalar.Error($"'{scalar.Text}' is cut short. Inside {{ ... }} a comma ends the value: quote it, \"normal(10, 2)\", or write the station as a block.");
            }
        }
    }

    private static Distribution? Dist(DocumentMap node, string key)
    {
        if (node[key] is not { } value)
        {
            return null;
        }
        var scalar = value.ExpectScalar("a distribution such as normal(10, 2)");
        var parsed = Distribution.Parse(scalar.Text);
        return parsed.IsSuccess ? parsed.Value : throw scalar.Error(parsed.Error.Message);
    }

    private static BufferBudget Budget(DocumentMap buffers, DocumentMap optimize, LineDefinition baseline)
    {
        buffers.Allow("budget", "min", "max");
        var budget = new BufferBudget(buffers.Integer("budget") ?? baseline.Buffers.Sum(), buffers.Integer("min") ?? 1, buffers.Integer("max") ?? int.MaxValue / 2,
            optimize.Integer("replications") ?? 5, optimize.Integer("generations") ?? 12, optimize.Integer("population") ?? 16);
        if (budget.Replications < 1 || budget.Generations < 1 || budget.Population < 2)
        {
            throw optimize.Error("'replications' and 'generations' must be at least 1, and 'population' at least 2");
        }
        if (BufferOptimization.Problem(budget, baseline.Buffers.Count).Validate() is { Count: > 0 } errors)
        {
            throw buffers.Error(string.Join(" ", errors));
        }
        return budget;
    }

    private static MaintenanceSearch MaintenanceChoice(DocumentMap node, DocumentMap optimize, LineDefinition baseline)
    {
        node.Allow("station", "time", "intervals", "interval");
        var station = node.Text("station") ?? throw node.Error("maintenance needs the 'station' to maintain");
        if (baseline.Stations.All(s => s.Name != station))
        {
            throw node.Required("station", "").Error($"the line has no station '{station}'");
        }
        var time = Dist(node, "time") ?? throw node.Error("maintenance needs its 'time', e.g. const(2)");
        switch (node.List("intervals", "a list of intervals"), node.Map("interval", "a mapping: { min, max }"))
        {
            case ({ Count: > 0 } list, null):
                return new MaintenanceSearch(station, list.Numbers(), time);
            case (null, { } range):
                range.Allow("min", "max");
                var (min, max) = (range.Number("min") ?? double.NaN, range.Number("max") ?? double.NaN);
                if (!(min > 0 && max > min))
                {
                    throw range.Error("needs 'min' and 'max' with 0 < min < max");
                }
                var search = new MaintenanceSearch(station, [], time)
                {
                    Range = new IntervalRange(min, max),
                    Replications = optimize.Integer("replications") ?? 5,
                    Generations = optimize.Integer("generations") ?? 20,
                };
                return search.Replications >= 1 && search.Generations >= 1
                    ? search
                    : throw optimize.Error("'replications' and 'generations' must be at least 1");
            case ({ Count: > 0 }, not null):
                throw node.Error("maintenance takes 'intervals' (candidates to compare) or 'interval: { min, max }' (a range to search), not both");
            default:
                throw node.Error("maintenance needs 'intervals', the working times between maintenances to compare, or 'interval: { min, max }', a range to search");
        }
    }
}

/// <summary>A buffer-allocation search: the budget of places, per-buffer bounds, and the search effort.</summary>
public sealed record BufferBudget(int Budget, int Min, int Max, int Replications, int Generations, int Population);

/// <summary>
/// The preventive-maintenance interval (working time) of one station, each maintenance taking <see cref="Time"/>: chosen
/// among <see cref="Intervals"/>, or searched within <see cref="Range"/> by CMA-ES; no maintenance is compared too.
/// </summary>
public sealed record MaintenanceSearch(string Station, IReadOnlyList<double> Intervals, Distribution Time)
{
    /// <summary>The range searched (<c>interval: { min, max }</c>); null when <see cref="Intervals"/> lists candidates.</summary>
    public IntervalRange? Range { get; init; }

    /// <summary>Replications per candidate of the range search (<c>optimize: replications</c>).</summary>
    public int Replications { get; init; } = 5;

    /// <summary>Generations of the range search (<c>optimize: generations</c>).</summary>
    public int Generations { get; init; } = 20;
}

/// <summary>A range of intervals, <see cref="Min"/> to <see cref="Max"/>.</summary>
public sealed record IntervalRange(double Min, double Max);
