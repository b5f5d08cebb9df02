using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Doppel.Packs.Manufacturing;
using Doppel.Simulation.Experiments;
using YamlDotNet.RepresentationModel;

namespace Doppel.Cli.Commands;

/// <summary>doppel simulate: runs a production-line scenario file and compares its what-ifs with the baseline, with confidence intervals.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo?>("scenario") { Description = "A scenario file (YAML): the line, the run, and what-if variants; see docs/simulation.md. With --line, only its whatIf section is used; with an explicit --server (and no --line), that server runs it as an experiment.", Arity = ArgumentArity.ZeroOrOne };
        var line = new Option<string?>("--line") { Description = "Simulate the live line twin with this id on a server (POST /doppel/scenarios), from its current state." };
        var at = new Option<string?>("--at") { Description = "With --line: start from the line's state at this past time (RFC 3339), read from history." };
        var duration = new Option<double>("--duration") { Description = "With --line: simulated time per replication.", DefaultValueFactory = _ => 20_000 };
        var warmup = new Option<double>("--warmup") { Description = "With --line: warm-up left out of the statistics.", DefaultValueFactory = _ => 1_000 };
        // With --line, or given explicitly with a file: the server runs it (the file through POST /doppel/experiments) instead of this process.
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
                    parse.GetValue(replications) ?? 10, parse.GetValue(seed) ?? 1, parse.GetValue(json) || Console.IsErrorRedirected, parse.GetValue(json), ct);
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
            if (parse.GetResult(server) is { Implicit: false })
            {
                if (parse.GetValue(plot) is not null)
                {
                    Console.Error.WriteLine("doppel: --plot draws a run of this process; leave out --server to use it.");
                    return ExitCodes.Usage;
                }
                var text = WithRun(File.ReadAllText(input.FullName), parse.GetValue(replications), parse.GetValue(seed));
                return await OnServerAsync(parse.GetValue(server)!, "doppel/experiments", text, "application/yaml", quiet, parse.GetValue(json),
                    $"{scenario.Replications} replications of {scenario.Duration.ToString(CultureInfo.InvariantCulture)} time units (warm-up {scenario.Warmup.ToString(CultureInfo.InvariantCulture)}), seed {scenario.Seed}, 95% confidence intervals:", ct);
            }
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
    private static async Task<int> FromServerAsync(string url, string lineId, FileInfo? whatIf, string? at, double duration, double warmup, int replications, ulong seed, bool quiet, bool json, CancellationToken ct)
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
            var parsed = new YamlStream();
            parsed.Load(new StringReader(File.ReadAllText(whatIf.FullName)));
            if (parsed.Documents.FirstOrDefault()?.RootNode is YamlMappingNode root
                && root.Children.TryGetValue(new YamlScalarNode("whatIf"), out var section))
            {
                var text = new YamlStream(new YamlDocument(section));
                using var writer = new StringWriter();
                text.Save(writer, assignAnchors: false);
                request["whatIf"] = writer.ToString();
            }
        }
        return await OnServerAsync(url, "doppel/scenarios", request.ToJsonString(), "application/json", quiet, json, null, ct);
    }

    /// <summary>Submits a scenario or an experiment to the server as a run, follows its progress, and prints its result.</summary>
    private static async Task<int> OnServerAsync(string url, string path, string body, string contentType, bool quiet, bool json, string? heading, CancellationToken ct)
    {
        using var client = new DoppelClient(url);
        var finished = await RunsCommands.SubmitAndFollowAsync(client, path, body, contentType, showProgress: !quiet, ct);
        if (!finished.IsSuccess)
        {
            return DoppelClient.Fail(finished.Error);
        }
        if (finished.Value["result"] is not System.Text.Json.Nodes.JsonObject result)
        {
            Console.Error.WriteLine("doppel: " + RunsCommands.Summary(finished.Value));
            return ExitCodes.Failed;
        }
        if (json)
        {
            Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Ok;
        }
        if (heading is not null)
        {
            Console.WriteLine(heading);
        }
        PrintServerResult(result);
        return ExitCodes.Ok;
    }

    /// <summary>Prints a result as the server returns it: where a forked line started, then each scenario against the baseline.</summary>
    internal static void PrintServerResult(System.Text.Json.Nodes.JsonNode body)
    {
        if (body["line"] is not null)
        {
            var state = body["initialState"];
            Console.WriteLine($"Line {body["line"]} from {body["start"]}: buffer levels [{string.Join(", ", state?["bufferLevels"]?.AsArray() ?? [])}], down: [{string.Join(", ", state?["stationsDown"]?.AsArray() ?? [])}], parts on stations: [{string.Join(", ", state?["stationsHoldingParts"]?.AsArray() ?? [])}], work in progress {state?["workInProgress"]}");
        }
        Table.Print(["scenario", "throughput", "WIP", "lead time", "bottleneck", "vs baseline"], body["scenarios"]!.AsArray().Select(s =>
        {
            string Kpi(string name) => string.Create(CultureInfo.InvariantCulture, $"{(double)s!["kpis"]![name]!["mean"]!:G5} ± {(double)s["kpis"]![name]!["halfWidth"]!:G3}");
            var versus = s!["throughputVsBaseline"] is { } c
                ? string.Create(CultureInfo.InvariantCulture, $"{(double)c["difference"]!:+0.#####;-0.#####} ± {(double)c["halfWidth"]!:G3}{((bool)c["significant"]! ? "" : " (n.s.)")}")
                : "";
            return new[] { (string)s["name"]!, Kpi("throughput"), Kpi("wip"), Kpi("leadTime"), (string)s["bottleneck"]!, versus };
        }));
    }

    /// <summary>The scenario file's text with its run's replications and seed replaced where given.</summary>
    private static string WithRun(string yaml, int? replications, ulong? seed)
    {
        if (replications is null && seed is null)
        {
            return yaml;
        }
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        if (!root.Children.TryGetValue(new YamlScalarNode("run"), out var node) || node is not YamlMappingNode run)
        {
            run = new YamlMappingNode();
            root.Children[new YamlScalarNode("run")] = run;
        }
        if (replications is { } r)
        {
            run.Children[new YamlScalarNode("replications")] = new YamlScalarNode(r.ToString(CultureInfo.InvariantCulture));
        }
        if (seed is { } s)
        {
            run.Children[new YamlScalarNode("seed")] = new YamlScalarNode(s.ToString(CultureInfo.InvariantCulture));
        }
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static string Interval(KpiSummary kpi) => string.Create(CultureInfo.InvariantCulture, $"{kpi.Mean:G5} ± {kpi.HalfWidth:G3}");

    private static string Difference(Comparison c) => string.Create(CultureInfo.InvariantCulture, $"{c.Difference:+0.#####;-0.#####} ± {c.HalfWidth:G3}");
}
