using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Doppel.Packs.Manufacturing;
using Doppel.Simulation.Experiments;

namespace Doppel.Cli.Commands;

/// <summary>doppel simulate: runs a production-line scenario file and compares its what-ifs with the baseline, with confidence intervals.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo?>("scenario") { Description = "A scenario file (YAML): the line, the run, and what-if variants; see docs/simulation.md. With --line, only its whatIf section is used.", Arity = ArgumentArity.ZeroOrOne };
        var line = new Option<string?>("--line") { Description = "Simulate the live line twin with this id on a server (POST /doppel/scenarios), from its current state." };
        var at = new Option<string?>("--at") { Description = "With --line: start from the line's state at this past time (RFC 3339), read from history." };
        var duration = new Option<double>("--duration") { Description = "With --line: simulated time per replication.", DefaultValueFactory = _ => 20_000 };
        var warmup = new Option<double>("--warmup") { Description = "With --line: warm-up left out of the statistics.", DefaultValueFactory = _ => 1_000 };
        var server = ClientOptions.Server();
        var replications = new Option<int?>("--replications") { Description = "Replications per scenario (overrides the file)." };
        var seed = new Option<ulong?>("--seed") { Description = "The experiment's seed (overrides the file)." };
        var json = ClientOptions.Json();
        var plot = new Option<FileInfo?>("--plot") { Description = "Also draw each scenario's throughput with its 95% interval, and the baseline's station utilization, to this PNG file." };
        var command = new Command("simulate", "Simulate a production line and its what-ifs; print KPIs with 95% confidence intervals and paired comparisons.")
        {
            file, replications, seed, json, plot, line, at, duration, warmup, server,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(line) is { } lineId)
            {
                return await FromServerAsync(parse.GetValue(server)!, lineId, parse.GetValue(file), parse.GetValue(at), parse.GetValue(duration), parse.GetValue(warmup),
                    parse.GetValue(replications) ?? 10, parse.GetValue(seed) ?? 1, parse.GetValue(json), ct);
            }
            if (parse.GetValue(file) is not { } input)
            {
                Console.Error.WriteLine("doppel: give a scenario file, or --line ID to simulate a live line on a server.");
                return ExitCodes.Usage;
            }
            if (!input.Exists)
            {
                Console.Error.WriteLine($"doppel: {input.FullName} does not exist.");
                return ExitCodes.Usage;
            }
            var parsed = LineScenarioFile.Parse(File.ReadAllText(input.FullName));
            if (!parsed.IsSuccess)
            {
                Console.Error.WriteLine($"doppel: {input.Name}: {parsed.Error.Message}");
                return ExitCodes.Usage;
            }
            var scenario = parsed.Value with
            {
                Replications = parse.GetValue(replications) ?? parsed.Value.Replications,
                Seed = parse.GetValue(seed) ?? parsed.Value.Seed,
            };
            var quiet = parse.GetValue(json) || Console.IsErrorRedirected;
            var progress = new Progress<ExperimentProgress>(p =>
            {
                if (!quiet)
                {
                    Console.Error.Write($"\r{ImportCommand.ProgressBar(p.Completed / (double)Math.Max(p.Total, 1), 24)} {p.Completed}/{p.Total} replications");
                }
            });
            var result = LineExperiment.Run(scenario, progress, ct);
            if (!quiet)
            {
                Console.Error.WriteLine();
            }
            if (parse.GetValue(plot) is { } png)
            {
                SimulationPlots.Save(result, png.FullName);
                if (!quiet)
                {
                    Console.Error.WriteLine($"Plot written to {png.FullName}");
                }
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(LineExperiment.ToJson(result).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }
            Console.WriteLine($"{scenario.Replications} replications of {scenario.Duration.ToString(CultureInfo.InvariantCulture)} time units (warm-up {scenario.Warmup.ToString(CultureInfo.InvariantCulture)}), seed {scenario.Seed}, 95% confidence intervals:");
            Table.Print(["scenario", "throughput", "WIP", "lead time", "bottleneck"], result.Scenarios.Select(s => new[]
            {
                s.Scenario.Name, Interval(s["throughput"]), Interval(s["wip"]), Interval(s["leadTime"]), LineExperiment.Bottleneck(s),
            }));
            if (result.Scenarios.Count > 1)
            {
                Console.WriteLine();
                Console.WriteLine("Against the baseline (paired, common random numbers):");
                Table.Print(["what-if", "Δ throughput", "change", "Δ WIP", "Δ lead time", "significant"], result.Scenarios.Skip(1).Select(s =>
                {
                    var throughput = result.Compare(LineExperiment.Baseline, s.Scenario.Name, "throughput");
                    return new[]
                    {
                        s.Scenario.Name, Difference(throughput), $"{throughput.PercentChange:+0.0;-0.0}%",
                        Difference(result.Compare(LineExperiment.Baseline, s.Scenario.Name, "wip")),
                        Difference(result.Compare(LineExperiment.Baseline, s.Scenario.Name, "leadTime")),
                        throughput.IsSignificant ? "yes" : "no",
                    };
                }));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Runs a what-if on a live line through the server and prints what came back.</summary>
    private static async Task<int> FromServerAsync(string url, string lineId, FileInfo? whatIf, string? at, double duration, double warmup, int replications, ulong seed, bool json, CancellationToken ct)
    {
        var request = new System.Text.Json.Nodes.JsonObject
        {
            ["line"] = lineId,
            ["run"] = new System.Text.Json.Nodes.JsonObject { ["duration"] = duration, ["warmup"] = warmup, ["replications"] = replications, ["seed"] = seed },
        };
        if (at is not null)
        {
            request["at"] = at;
        }
        if (whatIf is not null)
        {
            // The server reads the file's whatIf section as YAML.
            var parsed = new YamlDotNet.RepresentationModel.YamlStream();
            parsed.Load(new StringReader(File.ReadAllText(whatIf.FullName)));
            if (parsed.Documents.FirstOrDefault()?.RootNode is YamlDotNet.RepresentationModel.YamlMappingNode root
                && root.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("whatIf"), out var section))
            {
                var text = new YamlDotNet.RepresentationModel.YamlStream(new YamlDotNet.RepresentationModel.YamlDocument(section));
                using var writer = new StringWriter();
                text.Save(writer, assignAnchors: false);
                request["whatIf"] = writer.ToString();
            }
        }
        using var client = new DoppelClient(url);
        var (status, body) = await client.SendAsync(HttpMethod.Post, "doppel/scenarios", request.ToJsonString(), ct: ct);
        if (status != 200)
        {
            return DoppelClient.Fail(DoppelClient.Error(status, body));
        }
        if (json)
        {
            Console.WriteLine(body!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Ok;
        }
        var state = body!["initialState"];
        Console.WriteLine($"Line {lineId} from {body["start"]}: buffer levels [{string.Join(", ", state?["bufferLevels"]?.AsArray() ?? [])}], down: [{string.Join(", ", state?["stationsDown"]?.AsArray() ?? [])}]");
        Table.Print(["scenario", "throughput", "WIP", "lead time", "bottleneck", "vs baseline"], body["scenarios"]!.AsArray().Select(s =>
        {
            string Kpi(string name) => string.Create(CultureInfo.InvariantCulture, $"{(double)s!["kpis"]![name]!["mean"]!:G5} ± {(double)s["kpis"]![name]!["halfWidth"]!:G3}");
            var versus = s!["throughputVsBaseline"] is { } c
                ? string.Create(CultureInfo.InvariantCulture, $"{(double)c["difference"]!:+0.#####;-0.#####} ± {(double)c["halfWidth"]!:G3}{((bool)c["significant"]! ? "" : " (n.s.)")}")
                : "";
            return new[] { (string)s["name"]!, Kpi("throughput"), Kpi("wip"), Kpi("leadTime"), (string)s["bottleneck"]!, versus };
        }));
        return ExitCodes.Ok;
    }

    private static string Interval(KpiSummary kpi) => string.Create(CultureInfo.InvariantCulture, $"{kpi.Mean:G5} ± {kpi.HalfWidth:G3}");

    private static string Difference(Comparison c) => string.Create(CultureInfo.InvariantCulture, $"{c.Difference:+0.#####;-0.#####} ± {c.HalfWidth:G3}");
}
