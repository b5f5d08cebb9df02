using System.Globalization;
using Doppel.Packs;
using Doppel.Simulation;
using Doppel.Simulation.Experiments;

namespace Doppel.Cli.Bench.Fuzz;

/// <summary>
/// Scenario files, YAML and JSON, as <c>doppel simulate FILE</c> and <c>POST /doppel/experiments</c> read them: the
/// pack document reader, then the file's kind (the manufacturing pack's production line) through
/// <see cref="PackCatalog.ReadExperiment(string, RunLimits?)"/> of the packs found beside the program, as the CLI
/// finds them (a host names no pack). Accepted means it runs: its run settings are valid,
/// and a short run of it completes.
/// </summary>
internal sealed class ScenarioFuzzTarget : IFuzzTarget
{
    private static readonly string[] BuiltIn =
    [
        """
        kind: line
        name: two stations
        line:
          crews: 1
          shifts: { period: 24, shifts: [[6, 14], [14, 22]] }
          stations:
            - { name: press, cycleTime: exp(1), timeToFailure: exp(100), timeToRepair: exp(10) }
            - { name: weld, cycleTime: "normal(1.1, 0.2)", scrapRate: 0.02, reworkRate: 0.01, setupTime: const(2), setupEvery: 10 }
          buffers: [3]
        run: { duration: 1000, warmup: 50, replications: 2, seed: 1 }
        whatIf:
          bigger-buffer: { buffers: [8] }
          faster-weld: { stations: { weld: { cycleTime: "normal(0.9, 0.2)" } } }
        """,
        """{"kind":"line","line":{"stations":[{"name":"a","cycleTime":"const(1)","maintenanceInterval":50,"maintenanceTime":"const(2)"},{"name":"b","cycleTime":"weibull(2, 1)","failureClock":"operating"}],"buffers":[2]},"run":{"duration":100,"warmup":0,"replications":1},"optimize":{"buffers":{"budget":6,"min":1,"max":5}}}""",
        """
        line:
          stations:
            - name: oven
              cycleTime: normal(0.8, 0.05)
              thermal: { ambient: 20, rise: 60, timeConstant: 30, tripAt: 70, resumeAt: 50 }
            - name: pack
              cycleTime: const(0.9)
              idealCycleTime: 0.8
          buffers: [5]
        optimize:
          maintenance: { station: oven, time: const(5), intervals: [50, 100] }
        """,
    ];

    private static readonly string[] Tokens =
    [
        "kind", "name", "run", "line", "whatIf", "optimize", "stations", "buffers", "crews", "shifts", "period", "cycleTime", "timeToFailure",
        "timeToRepair", "failureClock", "scrapRate", "idealCycleTime", "reworkRate", "setupTime", "setupEvery", "maintenanceInterval", "maintenanceTime",
        "thermal", "ambient", "rise", "timeConstant", "tripAt", "resumeAt", "duration", "warmup", "replications", "seed", "budget", "min", "max",
        "maintenance", "station", "time", "intervals", "interval", "generations", "population", "exp(1)", "exp(0)", "exp(-1)", "normal(1, 0.1)",
        "normal(0, 0)", "const(0)", "const(1e308)", "weibull(3, 400)", "lognormal(1, 1)", "uniform(1, 0)", "triangular(1, 2, 3)", "empirical()",
        "exp(", "(", ")", ",", "operating", "calendar", "[1, 2]", "[]", "[-1]", "[[6, 14]]", "{}", "0", "-1", "1e9", "0.5", "1.5", ": ", "- ",
        "\n  ", "\n    - ", "'", "\"", "|", "&a", "*a", "---", "~", "null", "NaN", ".inf", "-.inf",
    ];

    private readonly PackCatalog _packs = PackCatalog.Discovered;

    /// <summary>
    /// Two replications (the fewest a run may have) of a short run: enough to start every station, buffer and what-if of the file. It is kept to
    /// some thousands of cycles of the fastest clock of the line (cycles, failures, maintenance), since a line whose
    /// station takes 1e-9 time units a part is valid and would make billions of events in any run.
    /// </summary>
    private static RunSettings ShortRun(string text)
    {
        var fastest = DocumentReader.Parse(text) is { IsSuccess: true } document ? Fastest(document.Value!) : 1;
        return new RunSettings { Duration = Math.Min(30, 5000 * fastest), Warmup = 0, Replications = 2, Seed = 1 };
    }

    /// <summary>The shortest mean of the line's clocks anywhere in the file (baseline and what-ifs).</summary>
    private static double Fastest(DocumentNode node) => node switch
    {
        DocumentMap map => map.Entries.Select(e => e.Key.Text switch
        {
            "cycleTime" or "timeToFailure" when e.Value is DocumentScalar { } d && Distribution.Parse(d.Text) is { IsSuccess: true } parsed => parsed.Value!.Mean,
            "maintenanceInterval" when e.Value is DocumentScalar { } d && double.TryParse(d.Text, CultureInfo.InvariantCulture, out var interval) => interval,
            _ => Fastest(e.Value),
        }).DefaultIfEmpty(double.MaxValue).Min(),
        DocumentList list => list.Items.Select(Fastest).DefaultIfEmpty(double.MaxValue).Min(),
        _ => double.MaxValue,
    };

    public ScenarioFuzzTarget(string? repository)
    {
        var found = FuzzCorpus.Files(repository, "samples", ".yaml", ".yml")
            .Concat(FuzzCorpus.Literals(repository, "tests/Doppel.Tests/Packs", s => s.Contains("stations", StringComparison.Ordinal)))
            .Concat(FuzzCorpus.Literals(repository, "tests/Doppel.Tests/Simulation", s => s.Contains("stations", StringComparison.Ordinal)))
            .Concat(FuzzCorpus.MarkdownCode(repository, "docs/simulation.md", s => s.Contains("stations", StringComparison.Ordinal)));
        Mutator = new TextMutator(FuzzCorpus.Merge(BuiltIn, found), Tokens);
    }

    public string Name => "scenario";

    public string Description => "scenario files, YAML and JSON (DocumentReader and the production line kind through PackCatalog.ReadExperiment; accepted files run briefly)";

    public TextMutator Mutator { get; }

    public string Run(string input)
    {
        var read = _packs.ReadExperiment(input);
        if (!read.IsSuccess)
        {
            return read.Error.Code;
        }

        var plan = read.Value!.Plan;
        if (plan.Run.Validate() is { Count: > 0 } problems)
        {
            throw new FuzzViolation($"an accepted file has run settings that are not valid: {string.Join(" ", problems)}");
        }

        if (plan.Total < 1)
        {
            throw new FuzzViolation($"an accepted file makes {plan.Total} replications");
        }

        var result = plan.WithRun(ShortRun(input)).Execute(null, CancellationToken.None);
        _ = result.Count;
        return "accepted, ran";
    }
}
