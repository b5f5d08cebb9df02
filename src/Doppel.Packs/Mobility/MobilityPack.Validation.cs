using System.Diagnostics;
using System.Globalization;
using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Simulation;
using Doppel.Packs.Mobility.Sumo;
using Doppel.Packs.Mobility.Validation;

namespace Doppel.Packs.Mobility;

/// <summary><c>doppel traffic compare</c> (Doppel beside SUMO on the same files, against the criteria) and <c>doppel bench traffic</c> (their speeds).</summary>
public sealed partial class MobilityPack
{
    private static readonly VerbOption[] ScenarioOptions =
    [
        new VerbOption("data", "The shared data folder holding sumo/grid10x10.net.xml (default: shared/data found walking up from the current folder).", VerbValue.Text),
        new VerbOption("net", "Run on this SUMO network instead of the scenarios (with --routes).", VerbValue.Text),
        new VerbOption("routes", "The routes file to run on --net.", VerbValue.Text),
        new VerbOption("seed", "The seed both simulators use.", VerbValue.Number) { Default = "42" },
        new VerbOption("step", "The step length in seconds (1 or 0.5).", VerbValue.Number) { Default = "1" },
        new VerbOption("work", "Keep generated scenarios and outputs in this folder (default: a temporary folder, deleted).", VerbValue.Text),
    ];

    partial void AddValidationVerbs(List<PackVerb> verbs) => verbs.Add(new PackVerb(
        "compare",
        "Runs SUMO and Doppel on the same files and checks the agreement: mean duration, waitingTime and timeLoss within 5%, KS test on durations, no collisions, teleports no more than SUMO's.",
        (context, ct) => CompareAsync(context, ct))
    {
        Options =
        [
            new VerbOption("scenario", $"Scenarios, comma-separated, or all: {string.Join(", ", TrafficScenario.All.Select(s => s.Name))}.", VerbValue.Text) { Default = "all" },
            .. ScenarioOptions,
            new VerbOption("threads", "Threads of Doppel's simulator (results are the same for any).", VerbValue.Number) { Default = "1" },
            new VerbOption("seeds", "Seeds each simulator runs (from --seed on); their trips are pooled: means over all trips, KS on all durations, counts summed.", VerbValue.Number) { Default = "1" },
            new VerbOption("baseline", "Also compare SUMO with itself at the next seeds (--seeds of them, after those compared): how far two SUMO samples of that size differ by chance.", VerbValue.Flag),
        ],
    });

    partial void RegisterValidation(PackBuilder pack) => pack.AddBenchmark(new PackVerb(
        "traffic",
        "SUMO and Doppel's traffic simulator on the same files in one run: vehicle updates per second of each (medians over repeats), the ratio, Doppel on 1 and 2 threads.",
        (context, ct) => BenchAsync(context, ct))
    {
        Options =
        [
            new VerbOption("scenario", "Scenarios, comma-separated (see doppel traffic compare).", VerbValue.Text) { Default = "grid10x10-5k,grid10x10-20k" },
            .. ScenarioOptions,
            new VerbOption("repeats", "Timed runs of each simulator (the median is reported).", VerbValue.Number) { Default = "3" },
            new VerbOption("threads", "Doppel's thread counts, comma-separated.", VerbValue.Text) { Default = "1,2" },
        ],
    });

    private static async Task<VerbResult> CompareAsync(VerbContext context, CancellationToken ct)
    {
        var setup = Setup(context, "all");
        if (setup.Usage is { } usage)
        {
            return usage;
        }
        var seeds = context.Number("seeds") ?? 1;
        if (!(seeds >= 1 && seeds <= 100 && seeds == Math.Floor(seeds)))
        {
            return VerbResult.Usage($"--seeds {seeds}: a whole number from 1 to 100.");
        }
        var peer = SumoPeer.Find();
        if (!peer.IsSuccess)
        {
            return VerbResult.Failed(peer.Error.Message);
        }
        if (!TryThreads(context.Number("threads") ?? 1, out var threads))
        {
            return VerbResult.Usage("--threads: a whole number from 1 to 64.");
        }
        var options = setup.Options with { Threads = threads, Seeds = (int)seeds };
        var comparer = new TrafficComparer(peer.Value);
        var output = context.Out;
        var seedText = options.Seeds == 1
            ? string.Create(CultureInfo.InvariantCulture, $"seed {options.Seed}")
            : string.Create(CultureInfo.InvariantCulture, $"seeds {options.Seed}..{options.Seed + (ulong)options.Seeds - 1} ({options.Seeds} runs of each simulator, their trips pooled)");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Doppel vs SUMO {peer.Value.Version}, {seedText}, step {options.StepLength} s; criteria: means within ±{options.Criteria.MeanTolerance:0%}, KS on durations at α = {options.Criteria.Alpha}, no collisions, teleports ≤ SUMO's."));
        output.WriteLine();
        output.WriteLine("| scenario | arrived D/S | duration D / S (Δ) | waitingTime D / S (Δ) | timeLoss D / S (Δ) | KS D (p) | collisions | teleports D/S | time D / S (s) | seeds D / S | result |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        var failed = new List<string>();
        try
        {
            foreach (var scenario in setup.Scenarios)
            {
                var files = await scenario.PrepareAsync(setup.Data, setup.Work, ct);
                if (!files.IsSuccess)
                {
                    return VerbResult.Failed(files.Error.Message);
                }
                context.Error.WriteLine($"{scenario.Name}: {scenario.Description} ...");
                var folder = Path.Combine(setup.Work, scenario.Name, "out");
                var doppel = await Task.Run(() => TrafficComparer.RunDoppel(files.Value, options, folder, ct), ct);
                if (!doppel.IsSuccess)
                {
                    return VerbResult.Failed($"{scenario.Name}: {doppel.Error.Message}");
                }
                var sumo = await comparer.RunSumoAsync(files.Value, options, options.Seed, folder, ct);
                if (!sumo.IsSuccess)
                {
                    return VerbResult.Failed($"{scenario.Name}: {sumo.Error.Message}");
                }
                var comparison = TrafficComparison.Compare(scenario.Name, doppel.Value, sumo.Value, options.Criteria);
                output.WriteLine(Row(comparison, comparison.Passes ? "pass" : "FAIL"));
                if (!comparison.Passes)
                {
                    failed.Add(scenario.Name);
                    foreach (var failure in comparison.Failures)
                    {
                        context.Error.WriteLine($"  {scenario.Name}: {failure}");
                    }
                }
                if (context.Flag("baseline"))
                {
                    // SUMO's runs just compared are the reference; the other sample is as many runs at the seeds after them.
                    var noise = await comparer.BaselineAsync(string.Create(CultureInfo.InvariantCulture, $"{scenario.Name} (SUMO seed+{options.Seeds} vs SUMO)"), files.Value, options,
                        Path.Combine(setup.Work, scenario.Name, "sumo-b"), sumo.Value, ct);
                    if (!noise.IsSuccess)
                    {
                        return VerbResult.Failed($"{scenario.Name}: {noise.Error.Message}");
                    }
                    output.WriteLine(Row(noise.Value, noise.Value.Passes ? "(pass)" : "(fail)"));
                }
            }
        }
        finally
        {
            setup.Cleanup();
        }
        output.WriteLine();
        output.WriteLine(failed.Count == 0
            ? $"All {setup.Scenarios.Count} scenarios agree with SUMO."
            : $"{failed.Count} of {setup.Scenarios.Count} scenarios do not agree with SUMO: {string.Join(", ", failed)}.");
        return failed.Count == 0 ? VerbResult.Ok : VerbResult.Failed($"{failed.Count} of {setup.Scenarios.Count} scenarios fail the criteria ({string.Join(", ", failed)}).");
    }

    private static string Row(TrafficComparison c, string result)
    {
        static string Kpi(KpiComparison k) => string.Create(CultureInfo.InvariantCulture, $"{k.Doppel:0.00} / {k.Sumo:0.00} ({Percent(k.RelativeDifference)})");
        var time = c.DoppelTime > TimeSpan.Zero ? string.Create(CultureInfo.InvariantCulture, $"{c.DoppelTime.TotalSeconds:0.0} / {c.SumoTime.TotalSeconds:0.0}") : "-";
        return string.Create(CultureInfo.InvariantCulture,
            $"| {c.Scenario} | {c.DoppelArrived}/{c.SumoArrived} | {Kpi(c.Duration)} | {Kpi(c.WaitingTime)} | {Kpi(c.TimeLoss)} | {c.Durations.Statistic:0.000} ({c.Durations.PValue:0.000}) | {c.DoppelCollisions} | {c.DoppelTeleports}/{c.SumoTeleports} | {time} | {TrafficSample.Describe(c.DoppelSeeds)} / {TrafficSample.Describe(c.SumoSeeds)} | {result} |");
    }

    /// <summary>A relative difference as a signed percentage with one decimal ("+1.8%", "-0.3%", "0.0%").</summary>
    internal static string Percent(double fraction) =>
        double.IsFinite(fraction) ? (Math.Round(fraction * 100, 1) + 0.0).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%" : "n/a";

    private static async Task<VerbResult> BenchAsync(VerbContext context, CancellationToken ct)
    {
        var setup = Setup(context, "grid10x10-5k,grid10x10-20k");
        if (setup.Usage is { } usage)
        {
            return usage;
        }
        var repeats = context.Number("repeats") ?? 3;
        if (!(repeats >= 1 && repeats <= 100 && repeats == Math.Floor(repeats)))
        {
            return VerbResult.Usage($"--repeats {repeats}: a whole number from 1 to 100.");
        }
        var threadCounts = new List<int>();
        foreach (var part in (context.Text("threads") ?? "1,2").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || !TryThreads(value, out var count))
            {
                return VerbResult.Usage($"--threads {context.Text("threads")}: whole numbers from 1 to 64, comma-separated.");
            }
            threadCounts.Add(count);
        }
        var peer = SumoPeer.Find();
        if (!peer.IsSuccess)
        {
            return VerbResult.Failed(peer.Error.Message);
        }
        var output = context.Out;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Vehicle updates per second (vehicle-steps simulated / wall time of the simulation), medians of {repeats} runs; SUMO {peer.Value.Version} and Doppel on the same files, seed {setup.Options.Seed}, step {setup.Options.StepLength} s, {Environment.ProcessorCount} cores{LoadAverage()}."));
        output.WriteLine("SUMO: its own count and loop time (--duration-log.statistics: UPS), which include reading the routes as it goes but not the network; no outputs but its statistics.");
        output.WriteLine("Doppel: reading the routes, building the simulation and running it to the last arrival, timed here; the network is read before the clock starts, as SUMO's is.");
        output.WriteLine();
        output.WriteLine($"| scenario | SUMO updates | SUMO updates/s | {string.Join(" | ", threadCounts.Select(t => $"Doppel {t} thread{(t == 1 ? "" : "s")} updates/s (× SUMO)"))} | Doppel updates |");
        output.WriteLine($"| --- | --- | --- | {string.Join(" | ", threadCounts.Select(_ => "---"))} | --- |");
        try
        {
            foreach (var scenario in setup.Scenarios)
            {
                var files = await scenario.PrepareAsync(setup.Data, setup.Work, ct);
                if (!files.IsSuccess)
                {
                    return VerbResult.Failed(files.Error.Message);
                }
                context.Error.WriteLine($"{scenario.Name}: {scenario.Description} ...");
                var network = SumoNetworkReader.Read(files.Value.NetFile);
                if (!network.IsSuccess)
                {
                    return VerbResult.Failed(network.Error.Message);
                }
                var sumoRates = new List<double>();
                long sumoUpdates = 0;
                for (var r = 0; r < repeats; r++)
                {
                    var run = await peer.Value.RunAsync(new SumoRunRequest(files.Value.NetFile, [files.Value.RoutesFile])
                    {
                        Seed = setup.Options.Seed,
                        StepLength = setup.Options.StepLength,
                        TripInfo = false,
                        OutputFolder = Path.Combine(setup.Work, scenario.Name, "bench-sumo"),
                    }, ct);
                    if (!run.IsSuccess)
                    {
                        return VerbResult.Failed(run.Error.Message);
                    }
                    sumoRates.Add(run.Value.UpdatesPerSecond);
                    sumoUpdates = run.Value.VehicleUpdates;
                }
                // Warm-up (not measured), so the timing is of the simulation and not of the JIT.
                var warm = TimeDoppel(network.Value, files.Value.RoutesFile, setup.Options, 1, 300, ct);
                if (!warm.IsSuccess)
                {
                    return VerbResult.Failed(warm.Error.Message);
                }
                var cells = new List<string>();
                long doppelUpdates = 0;
                var sumoMedian = Median(sumoRates);
                foreach (var threads in threadCounts)
                {
                    var rates = new List<double>();
                    for (var r = 0; r < repeats; r++)
                    {
                        var timed = TimeDoppel(network.Value, files.Value.RoutesFile, setup.Options, threads, null, ct);
                        if (!timed.IsSuccess)
                        {
                            return VerbResult.Failed(timed.Error.Message);
                        }
                        rates.Add(timed.Value.Updates / timed.Value.Seconds);
                        doppelUpdates = timed.Value.Updates;
                    }
                    var median = Median(rates);
                    cells.Add(string.Create(CultureInfo.InvariantCulture, $"{median:N0} ({median / sumoMedian:0.00}×)"));
                }
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {scenario.Name} | {sumoUpdates:N0} | {sumoMedian:N0} | {string.Join(" | ", cells)} | {doppelUpdates:N0} |"));
            }
        }
        finally
        {
            setup.Cleanup();
        }
        return VerbResult.Ok;
    }

    // The machine's load when the bench starts (Linux), because thread scaling means little on cores busy with other work.
    private static string LoadAverage()
    {
        try
        {
            var fields = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ') : [];
            return fields.Length >= 3 ? $", load average {fields[0]} {fields[1]} {fields[2]}" : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static Result<(long Updates, double Seconds)> TimeDoppel(RoadNetwork network, string routesFile, ComparisonOptions options, int threads, double? end, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var demand = SumoDemandReader.Read(network, [routesFile], options.Seed);
        if (!demand.IsSuccess)
        {
            return Result<(long, double)>.Fail(demand.Error);
        }
        var simulation = TrafficSimulation.Create(network, demand.Value, new TrafficOptions { Seed = options.Seed, StepLength = options.StepLength, Threads = threads, End = end });
        if (!simulation.IsSuccess)
        {
            return Result<(long, double)>.Fail(simulation.Error);
        }
        var result = simulation.Value.Run(ct);
        return Result<(long, double)>.Ok((result.VehicleUpdates, clock.Elapsed.TotalSeconds));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static bool TryThreads(double value, out int threads)
    {
        threads = (int)value;
        return value >= 1 && value <= 64 && value == Math.Floor(value);
    }

    private sealed record CompareSetup(IReadOnlyList<TrafficScenario> Scenarios, string Data, string Work, bool KeepWork, ComparisonOptions Options, VerbResult? Usage)
    {
        public void Cleanup()
        {
            if (!KeepWork && Directory.Exists(Work))
            {
                Directory.Delete(Work, recursive: true);
            }
        }
    }

    private static CompareSetup Setup(VerbContext context, string defaultScenarios)
    {
        CompareSetup Usage(string message) => new([], "", "", true, new ComparisonOptions(), VerbResult.Usage(message));
        var seed = context.Number("seed") ?? 42;
        var step = context.Number("step") ?? 1;
        if (!(seed >= 0 && seed <= uint.MaxValue && seed == Math.Floor(seed)))
        {
            return Usage($"--seed {seed}: a whole number from 0 to 4294967295.");
        }
        if (step is not (1 or 0.5))
        {
            return Usage($"--step {step}: 1 or 0.5 (seconds).");
        }
        var net = context.Text("net");
        var routes = context.Text("routes");
        IReadOnlyList<TrafficScenario> scenarios;
        if (net is not null || routes is not null)
        {
            if (net is null || routes is null)
            {
                return Usage("--net and --routes go together: a SUMO network and the routes to run on it.");
            }
            scenarios = [TrafficScenario.FromFiles(net, routes)];
        }
        else
        {
            var names = (context.Text("scenario") ?? defaultScenarios).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var chosen = new List<TrafficScenario>();
            foreach (var name in names)
            {
                if (name == "all")
                {
                    chosen.AddRange(TrafficScenario.All);
                    continue;
                }
                var scenario = TrafficScenario.All.FirstOrDefault(s => s.Name == name);
                if (scenario is null)
                {
                    return Usage($"--scenario {name}: no such scenario; they are {string.Join(", ", TrafficScenario.All.Select(s => s.Name))} and all.");
                }
                chosen.Add(scenario);
            }
            scenarios = chosen.Distinct().ToList();
        }
        var data = context.Text("data") ?? FindSharedData();
        var keep = context.Text("work");
        var work = keep is not null ? Path.GetFullPath(keep) : Directory.CreateTempSubdirectory("doppel-traffic-").FullName;
        Directory.CreateDirectory(work);
        return new CompareSetup(scenarios, data, work, keep is not null, new ComparisonOptions { Seed = (ulong)seed, StepLength = step }, null);
    }

    // ../shared/data as the contract puts it, found from the current folder or any parent (worktrees sit deeper).
    private static string FindSharedData()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(Path.Combine(candidate, "sumo")))
            {
                return candidate;
            }
        }
        return Path.GetFullPath(Path.Combine("..", "shared", "data"));
    }
}
