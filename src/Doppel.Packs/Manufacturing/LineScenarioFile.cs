using System.Globalization;
using Doppel.Simulation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Doppel.Packs.Manufacturing;

/// <summary>
/// A scenario file: a baseline line, how long and how often to run it, and what-if variants to compare with it.
/// </summary>
/// <example>
/// <code>
/// line:
///   crews: 1            # optional: maintenance crews shared by the stations
///   shifts: { period: 24, shifts: [[6, 14], [14, 22]] }   # optional: when the line works
///   stations:
///     - { name: press, cycleTime: exp(1), timeToFailure: exp(100), timeToRepair: exp(10) }
///     - { name: weld, cycleTime: normal(1.1, 0.2), scrapRate: 0.02 }
///   buffers: [3]
/// run: { duration: 100000, warmup: 5000, replications: 20, seed: 1 }
/// whatIf:
///   bigger-buffer: { buffers: [8] }
///   faster-weld: { stations: { weld: { cycleTime: normal(0.9, 0.2) } } }
/// </code>
/// </example>
public sealed record LineScenarioFile(LineDefinition Baseline, IReadOnlyDictionary<string, LineDefinition> WhatIf, double Duration, double Warmup, int Replications, ulong Seed)
{
    /// <summary>
    /// The optional <c>optimize</c> section: share <c>budget</c> buffer places over the buffers, each between
    /// <c>min</c> and <c>max</c>, maximizing throughput (<c>doppel optimize</c>).
    /// </summary>
    public BufferBudget? Optimize { get; init; }

    /// <summary>The optional top-level <c>name</c>: what a server calls the run of this file.</summary>
    public string? Name { get; init; }

    /// <summary>The optional <c>optimize: maintenance</c> section: the interval of preventive maintenance for one station, chosen among candidates or searched within a range.</summary>
    public MaintenanceSearch? Maintenance { get; init; }

    /// <summary>Reads a scenario file; errors say where (line and field) and why.</summary>
    public static Result<LineScenarioFile> Parse(string yaml)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml ?? ""));
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                return Fail("the file must be one YAML document with 'line' (and optionally 'run' and 'whatIf') at its top.");
            }
            if (Child(root, "line") is not YamlMappingNode lineNode)
            {
                return Fail("'line' (stations and buffers) is required.");
            }
            var baseline = Line(lineNode, null);
            var run = Child(root, "run") as YamlMappingNode;
            var whatIf = new Dictionary<string, LineDefinition>(StringComparer.Ordinal);
            if (Child(root, "whatIf") is YamlMappingNode variants)
            {
                foreach (var (key, value) in variants.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? "";
                    whatIf[name] = Line(value as YamlMappingNode ?? throw new ScenarioException(value, $"what-if '{name}' must be a mapping of changes"), baseline);
                }
            }
            var optimize = Child(Child(root, "optimize") as YamlMappingNode, "buffers") as YamlMappingNode;
            var file = new LineScenarioFile(baseline, whatIf,
                Number(run, "duration", 100_000), Number(run, "warmup", 5_000), (int)Number(run, "replications", 20), (ulong)Number(run, "seed", 1))
            {
                Optimize = optimize is null ? null : new BufferBudget(
                    (int)Number(optimize, "budget", baseline.Buffers.Sum()), (int)Number(optimize, "min", 1), (int)Number(optimize, "max", int.MaxValue / 2),
                    (int)Number(Child(root, "optimize") as YamlMappingNode, "replications", 5), (int)Number(Child(root, "optimize") as YamlMappingNode, "generations", 12),
                    (int)Number(Child(root, "optimize") as YamlMappingNode, "population", 16)),
                Maintenance = Child(Child(root, "optimize") as YamlMappingNode, "maintenance") is YamlMappingNode m ? MaintenanceChoice(m, (YamlMappingNode)Child(root, "optimize")!, baseline) : null,
                Name = Child(root, "name") switch
                {
                    null => null,
                    YamlScalarNode { Value: { Length: > 0 } runName } => runName,
                    var other => throw new ScenarioException(other, "'name' must be a non-empty text"),
                },
            };
            foreach (var (name, line) in whatIf.Prepend(KeyValuePair.Create("baseline", baseline)))
            {
                if (line.Validate() is { Count: > 0 } errors)
                {
                    return Fail($"{name}: {string.Join(" ", errors)}");
                }
            }
            if (!(file.Duration > file.Warmup) || file.Warmup < 0 || file.Replications < 2)
            {
                return Fail("run: need 0 <= warmup < duration and at least 2 replications.");
            }
            return Result<LineScenarioFile>.Ok(file);
        }
        catch (ScenarioException e)
        {
            return Fail($"line {e.Node.Start.Line}: {e.Message}");
        }
        catch (YamlException e)
        {
            return Fail($"line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
    }

    /// <summary>Reads what-if variants of a baseline from YAML or JSON (<c>{"name": {"buffers": [...], "stations": {"id": {...}}}}</c>).</summary>
    public static Result<IReadOnlyDictionary<string, LineDefinition>> ParseWhatIf(LineDefinition baseline, string yamlOrJson)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yamlOrJson ?? ""));
            var whatIf = new Dictionary<string, LineDefinition>(StringComparer.Ordinal);
            if (stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode variants)
            {
                foreach (var (key, value) in variants.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? "";
                    var line = Line(value as YamlMappingNode ?? throw new ScenarioException(value, $"what-if '{name}' must be a mapping of changes"), baseline);
                    if (line.Validate() is { Count: > 0 } errors)
                    {
                        return Result<IReadOnlyDictionary<string, LineDefinition>>.Fail("InvalidArgument", $"What-if '{name}': {string.Join(" ", errors)}");
                    }
                    whatIf[name] = line;
                }
            }
            return Result<IReadOnlyDictionary<string, LineDefinition>>.Ok(whatIf);
        }
        catch (ScenarioException e)
        {
            return Result<IReadOnlyDictionary<string, LineDefinition>>.Fail("InvalidArgument", $"What-if, line {e.Node.Start.Line}: {e.Message}");
        }
        catch (YamlException e)
        {
            return Result<IReadOnlyDictionary<string, LineDefinition>>.Fail("InvalidArgument", $"What-if, line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
    }

    private static MaintenanceSearch MaintenanceChoice(YamlMappingNode node, YamlMappingNode optimize, LineDefinition baseline)
    {
        var station = Text(node, "station") ?? throw new ScenarioException(node, "maintenance needs the 'station' to maintain");
        if (baseline.Stations.All(s => s.Name != station))
        {
            throw new ScenarioException(node, $"the line has no station '{station}'");
        }
        var time = Dist(node, "time") ?? throw new ScenarioException(node, "maintenance needs its 'time', e.g. const(2)");
        switch (Child(node, "intervals"), Child(node, "interval"))
        {
            case (YamlSequenceNode { Children.Count: > 0 } list, null):
                return new MaintenanceSearch(station, [.. list.Children.Select(Parse)], time);
            case (null, YamlMappingNode range):
                var (min, max) = (Number(range, "min", double.NaN), Number(range, "max", double.NaN));
                if (!(min > 0 && max > min))
                {
                    throw new ScenarioException(range, "interval needs 'min' and 'max' with 0 < min < max");
                }
                var search = new MaintenanceSearch(station, [], time)
                {
                    Range = new IntervalRange(min, max),
                    Replications = (int)Number(optimize, "replications", 5),
                    Generations = (int)Number(optimize, "generations", 20),
                };
                return search.Replications >= 1 && search.Generations >= 1
                    ? search
                    : throw new ScenarioException(optimize, "optimize: 'replications' and 'generations' must be at least 1");
            case (not null, not null):
                throw new ScenarioException(node, "maintenance takes 'intervals' (candidates to compare) or 'interval: { min, max }' (a range to search), not both");
            default:
                throw new ScenarioException(node, "maintenance needs 'intervals', the working times between maintenances to compare, or 'interval: { min, max }', a range to search");
        }
    }

    // A variant starts from the baseline and changes only what it names: buffers, or stations by name.
    private static LineDefinition Line(YamlMappingNode node, LineDefinition? baseline)
    {
        var stations = baseline?.Stations.ToList() ?? [];
        switch (Child(node, "stations"))
        {
            case YamlSequenceNode list when baseline is null:
                stations = [.. list.Children.Select(s => Station(s as YamlMappingNode ?? throw new ScenarioException(s, "a station must be a mapping"), null))];
                break;
            case YamlMappingNode changes when baseline is not null:
                foreach (var (key, value) in changes.Children)
                {
                    var name = ((YamlScalarNode)key).Value;
                    var index = stations.FindIndex(s => s.Name == name);
                    if (index < 0)
                    {
                        throw new ScenarioException(key, $"the baseline has no station '{name}'");
                    }
                    stations[index] = Station(value as YamlMappingNode ?? throw new ScenarioException(value, "station changes must be a mapping"), stations[index]);
                }
                break;
            case null when baseline is not null:
                break;
            case var other:
                throw new ScenarioException(other ?? node, baseline is null ? "'stations' must be a list of stations" : "'stations' in a what-if must map station names to changes");
        }
        var buffers = Child(node, "buffers") is YamlSequenceNode b
            ? [.. b.Children.Select(c => (int)Parse(c))]
            : baseline?.Buffers.ToList() ?? throw new ScenarioException(node, "'buffers' (the capacities between stations) is required");
        var crews = Child(node, "crews") is { } c ? (int?)Parse(c) : baseline?.Crews;
        var shifts = baseline?.Shifts;
        if (Child(node, "shifts") is YamlMappingNode calendar)
        {
            var list = Child(calendar, "shifts") as YamlSequenceNode ?? throw new ScenarioException(calendar, "shifts need 'shifts: [[start, end], ...]' within the 'period'");
            shifts = new ShiftCalendar(Parse(Child(calendar, "period") ?? throw new ScenarioException(calendar, "shifts need a 'period' (e.g. 24 or 1440)")),
                [.. list.Children.Select(pair => pair is YamlSequenceNode { Children.Count: 2 } p ? (Parse(p.Children[0]), Parse(p.Children[1])) : throw new ScenarioException(pair, "a shift is [start, end]"))]);
        }
        return new LineDefinition(stations, buffers) { Crews = crews, Shifts = shifts };
    }

    private static StationDefinition Station(YamlMappingNode node, StationDefinition? baseline)
    {
        var name = Text(node, "name") ?? baseline?.Name ?? throw new ScenarioException(node, "a station needs a 'name'");
        var cycle = Dist(node, "cycleTime") ?? baseline?.CycleTime ?? throw new ScenarioException(node, $"station '{name}' needs a 'cycleTime' such as normal(10, 1)");
        return new StationDefinition(name, cycle)
        {
            TimeToFailure = Dist(node, "timeToFailure") ?? baseline?.TimeToFailure,
            TimeToRepair = Dist(node, "timeToRepair") ?? baseline?.TimeToRepair,
            ScrapRate = Child(node, "scrapRate") is { } s ? Parse(s) : baseline?.ScrapRate ?? 0,
            IdealCycleTime = Child(node, "idealCycleTime") is { } i ? Parse(i) : baseline?.IdealCycleTime,
            ReworkRate = Child(node, "reworkRate") is { } w ? Parse(w) : baseline?.ReworkRate ?? 0,
            SetupTime = Dist(node, "setupTime") ?? baseline?.SetupTime,
            SetupEvery = Child(node, "setupEvery") is { } e ? (int)Parse(e) : baseline?.SetupEvery ?? 1,
            MaintenanceInterval = Child(node, "maintenanceInterval") is { } m ? Parse(m) : baseline?.MaintenanceInterval,
            MaintenanceTime = Dist(node, "maintenanceTime") ?? baseline?.MaintenanceTime,
            Thermal = Child(node, "thermal") switch
            {
                null => baseline?.Thermal,
                YamlMappingNode t => new ThermalLimit(Number(t, "ambient", baseline?.Thermal?.Ambient ?? 20), Required(t, "rise", baseline?.Thermal?.Rise),
                    Required(t, "timeConstant", baseline?.Thermal?.TimeConstant), Required(t, "tripAt", baseline?.Thermal?.TripAt), Required(t, "resumeAt", baseline?.Thermal?.ResumeAt)),
                var other => throw new ScenarioException(other, "thermal is a mapping: { ambient, rise, timeConstant, tripAt, resumeAt }"),
            },
            FailureClock = Text(node, "failureClock") switch
            {
                null => baseline?.FailureClock ?? FailureClock.Working,
                "working" => FailureClock.Working,
                "calendar" => FailureClock.Calendar,
                var other => throw new ScenarioException(node, $"failureClock is 'working' or 'calendar', not '{other}'"),
            },
        };
    }

    private static Distribution? Dist(YamlMappingNode node, string field)
    {
        if (Child(node, field) is not YamlScalarNode scalar)
        {
            return null;
        }
        var parsed = Distribution.Parse(scalar.Value ?? "");
        var hint = scalar.Value is { } text && text.Contains('(', StringComparison.Ordinal) && !text.Contains(')', StringComparison.Ordinal)
            ? " Inside { ... } a comma ends the value: quote it, \"normal(10, 2)\", or write the station as a block."
            : "";
        return parsed.IsSuccess ? parsed.Value : throw new ScenarioException(scalar, $"{field}: {parsed.Error.Message}{hint}");
    }

    private static YamlNode? Child(YamlMappingNode? node, string name) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(name), out var child) ? child : null;

    private static string? Text(YamlMappingNode node, string name) => (Child(node, name) as YamlScalarNode)?.Value;

    private static double Required(YamlMappingNode node, string name, double? fallback) =>
        Child(node, name) is { } value ? Parse(value) : fallback ?? throw new ScenarioException(node, $"thermal needs '{name}'");

    private static double Number(YamlMappingNode? node, string name, double fallback) => Child(node, name) is { } value ? Parse(value) : fallback;

    private static double Parse(YamlNode node) =>
        node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ScenarioException(node, $"'{(node as YamlScalarNode)?.Value}' is not a number");

    private static Result<LineScenarioFile> Fail(string message) => Result<LineScenarioFile>.Fail("InvalidArgument", "Scenario file: " + message);

    private sealed class ScenarioException(YamlNode node, string message) : Exception(message)
    {
        public YamlNode Node { get; } = node;
    }
}

/// <summary>A buffer-allocation search: the budget of places, per-buffer bounds, and the search effort.</summary>
public sealed record BufferBudget(int Budget, int Min, int Max, int Replications, int Generations, int Population);

/// <summary>
/// The preventive-maintenance interval (working time) of one station, each maintenance taking <see cref="Time"/>: chosen
/// among <see cref="Intervals"/>, or searched within <see cref="Range"/> by CMA-ES; no maintenance is compared too.
/// </summary>
public sealed record MaintenanceSearch(string Station, IReadOnlyList<double> Intervals, Doppel.Simulation.Distribution Time)
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
