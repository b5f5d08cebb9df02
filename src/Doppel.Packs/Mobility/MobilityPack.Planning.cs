using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Planning;
using Doppel.Simulation.Experiments;
using Doppel.Simulation.Optimization;

namespace Doppel.Packs.Mobility;

/// <summary>
/// Planning's registrations: the what-if scenario kind <c>traffic</c> (<c>POST /doppel/scenarios</c>), and the verbs
/// <c>doppel traffic optimize</c> (signal splits and offsets by CMA-ES, written as a SUMO tlLogic and checked in SUMO)
/// and <c>doppel traffic evacuate</c> (a district cleared, in Doppel and in SUMO on the same demand).
/// </summary>
public sealed partial class MobilityPack
{
    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    partial void RegisterPlanning(PackBuilder pack) => pack.AddScenarioKind(new TrafficScenarioKind());

    partial void AddPlanningVerbs(List<PackVerb> verbs)
    {
        verbs.Add(new PackVerb("optimize", "Tune the green splits and offsets of a network's static signals to cut the mean delay (CMA-ES on the simulator), write the plan as a SUMO tlLogic additional file and confirm the gain by running SUMO on it.", OptimizeAsync)
        {
            Arguments =
            [
                new VerbArgument("net", "The SUMO network (.net.xml)."),
                new VerbArgument("routes", "The demand: SUMO route or trip files, separated by commas (as sumo -r takes them)."),
            ],
            Options =
            [
                new VerbOption("signals", "The traffic lights to tune, separated by commas (every static program when not given).", VerbValue.Text),
                new VerbOption("output", "Where to write the optimised plan (a SUMO additional file with tlLogic elements).", VerbValue.Text) { Default = "optimized.add.xml" },
                new VerbOption("program-id", "The programID of the optimised programs (SUMO runs the program loaded last).", VerbValue.Text) { Default = "optimized" },
                new VerbOption("generations", "CMA-ES generations.", VerbValue.Number) { Default = "20" },
                new VerbOption("replications", "Simulations per candidate (common seeds within a generation).", VerbValue.Number) { Default = "3" },
                new VerbOption("population", "Candidates per generation (CMA-ES's default 4 + 3 ln n when not given).", VerbValue.Number),
                new VerbOption("check", "Simulations on fresh seeds that compare the result with the plan in force.", VerbValue.Number) { Default = "10" },
                new VerbOption("min-green", "The least green a phase gets (s).", VerbValue.Number) { Default = "5" },
                new VerbOption("end", "Where each simulation ends (s); until every vehicle has arrived when not given.", VerbValue.Number),
                new VerbOption("seed", "The search's seed.", VerbValue.Number) { Default = "1" },
                new VerbOption("sumo-seeds", "SUMO runs (seeds 1..n) of the plan in force and of the new plan that confirm the gain; 0 skips SUMO.", VerbValue.Number) { Default = "5" },
                new VerbOption("json", "Print JSON.", VerbValue.Flag),
            ],
        });
        verbs.Add(new PackVerb("evacuate", "Clear a district towards safe destinations with roads closed: the clearance time and its distribution over seeds, in Doppel and in SUMO on the same demand.", EvacuateAsync)
        {
            Arguments = [new VerbArgument("net", "The SUMO network (.net.xml).")],
            Options =
            [
                new VerbOption("district", "The district's junctions, separated by commas.", VerbValue.Text),
                new VerbOption("area", "Or the district as a rectangle in the network's metres: xmin,ymin,xmax,ymax.", VerbValue.Text),
                new VerbOption("to", "The safe destinations: edge ids, separated by commas.", VerbValue.Text),
                new VerbOption("close", "Roads closed to everyone: edge ids, separated by commas.", VerbValue.Text),
                new VerbOption("vehicles", "Vehicles to evacuate, on the district's roads in proportion to their lane length.", VerbValue.Number) { Default = "200" },
                new VerbOption("window", "Departures spread over this many seconds after the order.", VerbValue.Number) { Default = "600" },
                new VerbOption("seeds", "Runs (seeds 1..n) in each simulator.", VerbValue.Number) { Default = "5" },
                new VerbOption("demand-seed", "The seed that draws the evacuees (the same demand in every run).", VerbValue.Number) { Default = "1" },
                new VerbOption("demand-output", "Where to write the evacuees as a SUMO route file (a temporary file when not given).", VerbValue.Text),
                new VerbOption("no-sumo", "Run Doppel alone.", VerbValue.Flag),
                new VerbOption("json", "Print JSON.", VerbValue.Flag),
            ],
        });
    }

    private static async Task<VerbResult> OptimizeAsync(VerbContext context, CancellationToken ct)
    {
        var netPath = context.Argument("net")!;
        var routePaths = List(context.Argument("routes"));
        var network = SumoNetworkReader.Read(netPath);
        if (!network.IsSuccess)
        {
            return VerbResult.Usage(network.Error.Message);
        }
        var demand = SumoDemandReader.Read(network.Value, routePaths);
        if (!demand.IsSuccess)
        {
            return VerbResult.Usage(demand.Error.Message);
        }
        if (Whole(context, "generations", 1, 1000) is not { } generations || Whole(context, "replications", 1, 100) is not { } replications
            || Whole(context, "check", 2, 1000) is not { } check || Whole(context, "sumo-seeds", 0, 100) is not { } sumoSeeds || sumoSeeds == 1 || Whole(context, "seed", 0, int.MaxValue) is not { } seed)
        {
            return VerbResult.Usage("--generations is 1 to 1000, --replications 1 to 100, --check 2 to 1000, --sumo-seeds 0 or 2 to 100 (an interval needs two) and --seed a whole number of 0 or more.");
        }
        int? population = null;
        if (context.Number("population") is not null)
        {
            population = Whole(context, "population", 2, 1000);
            if (population is null)
            {
                return VerbResult.Usage("--population is 2 to 1000 candidates.");
            }
        }
        if (context.Number("end") is { } givenEnd && !(givenEnd > 0))
        {
            return VerbResult.Usage("--end is a time in seconds after 0.");
        }
        var programId = context.Text("program-id")!;
        if (network.Value.SignalPrograms.Any(p => p.ProgramId == programId))
        {
            return VerbResult.Usage($"--program-id '{programId}' is a program the network has already: give a new one, so that SUMO runs the optimised plan beside the old.");
        }
        var space = SignalPlanSpace.Create(network.Value, List(context.Text("signals")), context.Number("min-green")!.Value);
        if (!space.IsSuccess)
        {
            return VerbResult.Usage(space.Error.Message);
        }
        var options = new SignalOptimizationOptions
        {
            Seed = (ulong)seed,
            Generations = generations,
            Replications = replications,
            PopulationSize = population,
            CheckReplications = check,
            End = context.Number("end"),
            ProgramId = programId,
        };
        await context.Error.WriteLineAsync(Invariant($"Optimising {space.Value.Programs.Count} signals ({string.Join(", ", space.Value.Programs.Select(p => p.Id))}): {space.Value.Problem.Dimensions} variables, {demand.Value.Vehicles.Count} vehicles."));
        var progress = new SynchronousProgress<CmaEsProgress>(p => context.Error.WriteLine(Invariant($"  generation {p.Generation}: best mean delay {p.BestMean:F2} s, step {p.StepSize:F3}")));
        var result = SignalOptimization.Run(network.Value, demand.Value, space.Value, options, progress, ct);
        var output = context.Text("output")!;
        if (Output.SignalProgramWriter.Write(output, result.Optimized) is { IsSuccess: false } written)
        {
            return VerbResult.Failed(written.Error.Message);
        }

        JsonObject? sumo = null;
        if (sumoSeeds > 0)
        {
            var confirmation = await Planning.Internal.SumoConfirmation.RunAsync(netPath, routePaths, output, sumoSeeds, context.Number("end"), ct);
            if (!confirmation.IsSuccess)
            {
                return VerbResult.Failed(confirmation.Error.Message);
            }
            sumo = confirmation.Value.ToJson();
        }
        var json = OptimizationJson(result, output, sumo);
        if (context.Flag("json"))
        {
            await context.Out.WriteLineAsync(json.ToJsonString(IndentedJson));
        }
        else
        {
            await context.Out.WriteLineAsync(Invariant($"CMA-ES: {result.Search.Generations} generations, {result.Search.Evaluations} simulations ({result.Search.Stop})."));
            await context.Out.WriteLineAsync(Invariant($"Doppel, {check} seeds: mean delay {result.OriginalDelay.Mean:F2} ± {result.OriginalDelay.HalfWidth:F2} s -> {result.OptimizedDelay.Mean:F2} ± {result.OptimizedDelay.HalfWidth:F2} s ({result.Gain.Difference:+0.00;-0.00} ± {result.Gain.HalfWidth:F2} s, {result.Gain.PercentChange:+0.0;-0.0}%)."));
            foreach (var program in result.Optimized)
            {
                await context.Out.WriteLineAsync(Invariant($"  {program.Id}: offset {program.Offset:G} s, phases {string.Join(" ", program.Phases.Select(p => $"{p.Duration:G}"))}"));
            }
            await context.Out.WriteLineAsync($"Wrote {output} (programID {programId}; load it with sumo -a {output}).");
            if (sumo is not null)
            {
                await context.Out.WriteLineAsync(Invariant($"SUMO, {sumoSeeds} seeds: mean delay (timeLoss) {(double)sumo["original"]!["timeLoss"]!:F2} s -> {(double)sumo["optimized"]!["timeLoss"]!:F2} s ({(double)sumo["gain"]!["difference"]!:+0.00;-0.00} ± {(double?)sumo["gain"]!["halfWidth"] ?? double.NaN:F2} s, {(double?)sumo["gain"]!["percentChange"] ?? double.NaN:+0.0;-0.0}%): {((bool)sumo["holds"]! ? "the gain holds" : "the gain does NOT hold")}."));
            }
        }
        return sumo is not null && !(bool)sumo["holds"]! ? VerbResult.Failed("The optimised plan's gain does not hold in SUMO.") : VerbResult.Ok;
    }

    private static async Task<VerbResult> EvacuateAsync(VerbContext context, CancellationToken ct)
    {
        var netPath = context.Argument("net")!;
        var network = SumoNetworkReader.Read(netPath);
        if (!network.IsSuccess)
        {
            return VerbResult.Usage(network.Error.Message);
        }
        IReadOnlyList<string> district = List(context.Text("district"));
        if (context.Text("area") is { } area)
        {
            var corners = area.Split(',').Select(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN).ToArray();
            if (district.Count > 0 || corners.Length != 4 || corners.Any(double.IsNaN) || corners[0] > corners[2] || corners[1] > corners[3])
            {
                return VerbResult.Usage($"--area is xmin,ymin,xmax,ymax in the network's metres (and replaces --district), not '{area}'.");
            }
            district = Evacuation.JunctionsIn(network.Value, corners[0], corners[1], corners[2], corners[3]);
        }
        if (Whole(context, "vehicles", 1, 1_000_000) is not { } vehicles || Whole(context, "seeds", 2, 1000) is not { } seeds || Whole(context, "demand-seed", 0, int.MaxValue) is not { } demandSeed)
        {
            return VerbResult.Usage("--vehicles is 1 to 1000000, --seeds 2 to 1000 and --demand-seed a whole number of 0 or more.");
        }
        var order = new EvacuationOrder(district, List(context.Text("to")))
        {
            Vehicles = vehicles,
            Window = context.Number("window")!.Value,
            Closed = List(context.Text("close")),
        };
        var evacuation = Evacuation.Demand(network.Value, order, (ulong)demandSeed);
        if (!evacuation.IsSuccess)
        {
            return VerbResult.Usage(evacuation.Error.Message);
        }
        var demand = evacuation.Value.Demand;
        var routeFile = context.Text("demand-output") ?? Path.Combine(Path.GetTempPath(), $"doppel-evacuation-{Guid.NewGuid():N}.rou.xml");
        if (SumoDemandWriter.Write(routeFile, demand) is { IsSuccess: false } written)
        {
            return VerbResult.Failed(written.Error.Message);
        }
        try
        {
            await context.Error.WriteLineAsync(Invariant($"Evacuating {demand.Vehicles.Count} vehicles from {district.Count} junctions ({evacuation.Value.Origins.Count} roads{(evacuation.Value.Unreachable.Count > 0 ? $"; {evacuation.Value.Unreachable.Count} roads with no way out left empty" : "")}) towards {order.Destinations.Count} destinations, {order.Closed.Count} roads closed."));
            var doppel = new List<Clearance>();
            for (var seed = 1UL; seed <= (ulong)seeds; seed++)
            {
                ct.ThrowIfCancellationRequested();
                var simulation = new Simulation.TrafficSimulation(network.Value, demand, new Simulation.TrafficOptions { Seed = seed });
                foreach (var edge in order.Closed)
                {
                    simulation.CloseEdge(edge);
                }
                var run = simulation.Run(ct);
                doppel.Add(Evacuation.Measure(run.Trips.Select(t => (t.Id, t.Arrival)), order, demand.Vehicles.Count));
            }
            List<Clearance>? sumo = null;
            if (!context.Flag("no-sumo"))
            {
                var peer = Sumo.SumoPeer.Find();
                if (!peer.IsSuccess)
                {
                    return VerbResult.Failed(peer.Error.Message);
                }
                sumo = [];
                for (var seed = 1UL; seed <= (ulong)seeds; seed++)
                {
                    var run = await Planning.Internal.SumoTrips.RunAsync(peer.Value, new Sumo.SumoRunRequest(netPath, [routeFile]) { Seed = seed }, ct);
                    if (!run.IsSuccess)
                    {
                        return VerbResult.Failed(run.Error.Message);
                    }
                    sumo.Add(Evacuation.Measure(run.Value.Select(t => (t.Id, t.Arrival)), order, demand.Vehicles.Count));
                }
            }
            var json = EvacuationJson(order, evacuation.Value, doppel, sumo);
            if (context.Flag("json"))
            {
                await context.Out.WriteLineAsync(json.ToJsonString(IndentedJson));
                return VerbResult.Ok;
            }
            await context.Out.WriteLineAsync(Invariant($"{"",-8} {"clearance (s)",-18} {"50% out (s)",12} {"90% out (s)",12} {"evacuated",10}"));
            foreach (var (name, runs) in new[] { ("Doppel", doppel), ("SUMO", sumo) })
            {
                if (runs is null)
                {
                    continue;
                }
                var clearance = KpiSummary.Of([.. runs.Select(r => r.Time)]);
                await context.Out.WriteLineAsync(Invariant($"{name,-8} {$"{clearance.Mean:F1} ± {clearance.HalfWidth:F1}",-18} {runs.Average(r => r.Quantile(0.5)),12:F1} {runs.Average(r => r.Quantile(0.9)),12:F1} {runs.Average(r => r.Evacuated),10:P1}"));
            }
            if (json["comparison"] is JsonObject comparison)
            {
                await context.Out.WriteLineAsync(Invariant($"Doppel vs SUMO: clearance {(double?)comparison["clearanceDifference"] ?? double.NaN:+0.0;-0.0}%, time out KS D = {(double?)comparison["ksStatistic"] ?? double.NaN:F3} (p = {(double?)comparison["ksPValue"] ?? double.NaN:F3})."));
            }
            return VerbResult.Ok;
        }
        finally
        {
            if (context.Text("demand-output") is null)
            {
                File.Delete(routeFile);
            }
        }
    }

    private static JsonObject EvacuationJson(EvacuationOrder order, EvacuationDemand demand, List<Clearance> doppel, List<Clearance>? sumo)
    {
        static JsonObject Runs(List<Clearance> runs)
        {
            var clearance = KpiSummary.Of([.. runs.Select(r => r.Time)]);
            return new JsonObject
            {
                ["clearanceTime"] = new JsonObject { ["mean"] = ExperimentJson.Number(clearance.Mean), ["halfWidth"] = ExperimentJson.Number(clearance.HalfWidth), ["min"] = ExperimentJson.Number(clearance.Min), ["max"] = ExperimentJson.Number(clearance.Max) },
                ["runs"] = new JsonArray([.. runs.Select(r => (JsonNode)new JsonObject
                {
                    ["clearanceTime"] = ExperimentJson.Number(r.Time),
                    ["evacuated"] = r.Evacuated,
                    ["quantiles"] = new JsonObject { ["0.5"] = ExperimentJson.Number(r.Quantile(0.5)), ["0.9"] = ExperimentJson.Number(r.Quantile(0.9)), ["0.95"] = ExperimentJson.Number(r.Quantile(0.95)) },
                })]),
            };
        }
        var json = new JsonObject
        {
            ["district"] = new JsonArray([.. order.District.Select(j => (JsonNode)j)]),
            ["destinations"] = new JsonArray([.. order.Destinations.Select(e => (JsonNode)e)]),
            ["closed"] = new JsonArray([.. order.Closed.Select(e => (JsonNode)e)]),
            ["vehicles"] = demand.Demand.Vehicles.Count,
            ["origins"] = demand.Origins.Count,
            ["doppel"] = Runs(doppel),
        };
        if (sumo is not null)
        {
            json["sumo"] = Runs(sumo);
            var doppelMean = doppel.Average(r => r.Time);
            var sumoMean = sumo.Average(r => r.Time);
            var ks = Validation.KolmogorovSmirnov.Test([.. doppel.SelectMany(r => r.ArrivalTimes)], [.. sumo.SelectMany(r => r.ArrivalTimes)]);
            json["comparison"] = new JsonObject
            {
                ["clearanceDifference"] = ExperimentJson.Number(100 * (doppelMean - sumoMean) / sumoMean),
                ["ksStatistic"] = ExperimentJson.Number(ks.Statistic),
                ["ksPValue"] = ExperimentJson.Number(ks.PValue),
            };
        }
        return json;
    }

    private static JsonObject OptimizationJson(SignalOptimizationResult result, string output, JsonObject? sumo) => new()
    {
        ["plan"] = output,
        ["search"] = new JsonObject
        {
            ["generations"] = result.Search.Generations,
            ["evaluations"] = result.Search.Evaluations,
            ["stop"] = result.Search.Stop.ToString(),
        },
        ["doppel"] = new JsonObject
        {
            ["original"] = Summary(result.OriginalDelay),
            ["optimized"] = Summary(result.OptimizedDelay),
            ["gain"] = ExperimentJson.Comparison(result.Gain),
            ["objectiveGain"] = ExperimentJson.Comparison(result.ObjectiveGain),
        },
        ["programs"] = new JsonArray([.. result.Optimized.Select(p => (JsonNode)new JsonObject
        {
            ["id"] = p.Id,
            ["programId"] = p.ProgramId,
            ["offset"] = p.Offset,
            ["phases"] = new JsonArray([.. p.Phases.Select(ph => (JsonNode)new JsonObject { ["duration"] = ph.Duration, ["state"] = ph.State })]),
        })]),
        ["sumo"] = sumo,
    };

    private static JsonObject Summary(KpiSummary summary) => new() { ["mean"] = ExperimentJson.Number(summary.Mean), ["halfWidth"] = ExperimentJson.Number(summary.HalfWidth) };

    private static List<string> List(string? text) =>
        text is null ? [] : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static int? Whole(VerbContext context, string option, int min, int max) =>
        context.Number(option) is { } value && value == Math.Floor(value) && value >= min && value <= max ? (int)value : null;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reports on the calling thread (Progress{T} posts to the thread pool, which would print out of order).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
