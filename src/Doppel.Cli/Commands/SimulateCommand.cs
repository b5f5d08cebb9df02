using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Packs;
using Doppel.Simulation.Experiments;
using YamlDotNet.RepresentationModel;

namespace Doppel.Cli.Commands;

/// <summary>
/// doppel simulate: runs a scenario file of any pack's kind here or on a server, or forks a live twin on a server,
/// and prints KPIs with confidence intervals and paired comparisons as the kind's view says.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create(PackCatalog packs)
    {
        var file = new Argument<FileInfo?>("scenario") { Description = "A scenario file (YAML or JSON): its kind (e.g. a line), the run, and what-ifs; see docs/simulation.md. With --twin, only its whatIf section is used; with an explicit --server (and no --twin), that server runs it as an experiment.", Arity = ArgumentArity.ZeroOrOne };
        var twin = new Option<string?>("--twin") { Description = "Fork the live twin with this id on a server (POST /doppel/scenarios), from its current state; its model picks the scenario kind." };
        // The first pack's forks named the twin by what it was; the option keeps working under that name.
        twin.Aliases.Add("--line");
        var at = new Option<string?>("--at") { Description = "With --twin: start from the twin's state at this past time (RFC 3339), read from history." };
        var duration = new Option<double?>("--duration") { Description = "Simulated time per replication (overrides the file or the kind's default)." };
        var warmup = new Option<double?>("--warmup") { Description = "Warm-up left out of the statistics (overrides the file or the kind's default)." };
        // With --twin, or given explicitly with a file: the server runs it (the file through POST /doppel/experiments) instead of this process.
        var server = ClientOptions.Server();
        var replications = new Option<int?>("--replications") { Description = "Replications per scenario, at least 2 (overrides the file or the kind's default)." };
        var seed = new Option<ulong?>("--seed") { Description = "The experiment's seed (overrides the file)." };
        var json = ClientOptions.Json();
        var plot = new Option<FileInfo?>("--plot") { Description = "Also draw the result (each scenario's main KPI with its 95% interval, and the baseline's breakdown) to this PNG file." };
        var command = new Command("simulate", "Simulate a scenario file or fork a live twin, with what-ifs; print KPIs with 95% confidence intervals and paired comparisons.")
        {
            file, replications, seed, json, plot, twin, at, duration, warmup, server,
        };
        command.SetAction(async (parse, ct) =>
        {
            var overrides = new Overrides(parse.GetValue(duration), parse.GetValue(warmup), parse.GetValue(replications), parse.GetValue(seed));
            var output = new Output(parse.GetValue(json), parse.GetValue(json) || Console.IsErrorRedirected, parse.GetValue(plot));
            if (parse.GetValue(twin) is { } twinId)
            {
                return await ForkAsync(packs, parse.GetValue(server)!, twinId, parse.GetValue(file), parse.GetValue(at), overrides, output, ct);
            }
            if (parse.GetValue(file) is not { } input)
            {
                Console.Error.WriteLine("doppel: give a scenario file, or --twin ID to fork a live twin on a server.");
                return ExitCodes.Usage;
            }
            if (!input.Exists)
            {
                Console.Error.WriteLine($"doppel: {input.FullName} does not exist.");
                return ExitCodes.Usage;
            }
            var text = await File.ReadAllTextAsync(input.FullName, ct);
            var read = packs.ReadExperiment(text);
            var onServer = parse.GetResult(server) is { Implicit: false };
            if (!read.IsSuccess)
            {
                if (onServer && DocumentReader.Parse(text).IsSuccess)
                {
                    // The server may have a kind this program lacks: it says what is wrong with the file, if anything.
                    return await OnServerAsync(packs, parse.GetValue(server)!, "doppel/experiments", WithRun(text, overrides), "application/yaml", output, ct);
                }
                Console.Error.WriteLine($"doppel: {input.Name}: {read.Error.Message}");
                return ExitCodes.Usage;
            }
            var experiment = read.Value;
            var run = overrides.Apply(experiment.Plan.Run);
            if (run.Validate() is { Count: > 0 } errors)
            {
                Console.Error.WriteLine($"doppel: {input.Name}: run{overrides.Describe()}: {string.Join(" ", errors)}");
                return ExitCodes.Usage;
            }
            if (onServer)
            {
                return await OnServerAsync(packs, parse.GetValue(server)!, "doppel/experiments", WithRun(text, overrides), "application/yaml", output, ct);
            }
            experiment = experiment.WithRun(run);
            var progress = new Progress<ExperimentProgress>(p =>
            {
                if (!output.Quiet)
                {
                    Console.Error.Write($"\r{ImportCommand.ProgressBar(p.Completed / (double)Math.Max(p.Total, 1), 24)} {p.Completed}/{p.Total} replications");
                }
            });
            var result = experiment.Execute(progress, ct);
            if (!output.Quiet)
            {
                Console.Error.WriteLine();
            }
            return Print(result, experiment.Kind.View, output);
        });
        return command;
    }

    /// <summary>Prints a result as a server returns it (also <c>doppel runs show</c>): with its kind's view when this program has the kind.</summary>
    internal static void PrintServerResult(JsonNode body)
    {
        if (body is JsonObject result)
        {
            PrintResult(result, View(PackCatalog.Discovered, result));
        }
    }

    /// <summary>Forks a live twin through the server, with the file's what-ifs, and prints what came back.</summary>
    private static async Task<int> ForkAsync(PackCatalog packs, string url, string twinId, FileInfo? whatIf, string? at, Overrides overrides, Output output, CancellationToken ct)
    {
        var request = new JsonObject { ["twin"] = twinId };
        if (overrides.ToJson() is { Count: > 0 } run)
        {
            request["run"] = run;
        }
        if (at is not null)
        {
            request["at"] = at;
        }
        if (whatIf is not null)
        {
            if (!whatIf.Exists)
            {
                Console.Error.WriteLine($"doppel: {whatIf.FullName} does not exist.");
                return ExitCodes.Usage;
            }
            // The server reads the file's whatIf section as the kind reads it (YAML text); lines are the file's own.
            var section = DocumentReader.Read(await File.ReadAllTextAsync(whatIf.FullName, ct), root => root.Contains("whatIf") ? WhatIfText(whatIf.FullName) : null);
            if (!section.IsSuccess)
            {
                Console.Error.WriteLine($"doppel: {whatIf.Name}: {section.Error.Message}");
                return ExitCodes.Usage;
            }
            if (section.Value is { } text)
            {
                request["whatIf"] = text;
            }
        }
        return await OnServerAsync(packs, url, "doppel/scenarios", request.ToJsonString(), "application/json", output, ct);
    }

    /// <summary>Submits a scenario or an experiment to the server as a run, follows its progress, and prints its result.</summary>
    private static async Task<int> OnServerAsync(PackCatalog packs, string url, string path, string body, string contentType, Output output, CancellationToken ct)
    {
        using var client = new DoppelClient(url);
        var finished = await RunsCommands.SubmitAndFollowAsync(client, path, body, contentType, showProgress: !output.Quiet, ct);
        if (!finished.IsSuccess)
        {
            return DoppelClient.Fail(finished.Error);
        }
        if (finished.Value["result"] is not JsonObject result)
        {
            Console.Error.WriteLine("doppel: " + RunsCommands.Summary(finished.Value));
            return ExitCodes.Failed;
        }
        return Print(result, View(packs, result), output);
    }

    private static int Print(JsonObject result, ResultView view, Output output)
    {
        if (output.Plot is { } png)
        {
            if (view.Plot is null)
            {
                Console.Error.WriteLine("doppel: this kind of result has nothing to plot; leave out --plot.");
                return ExitCodes.Usage;
            }
            SimulationPlots.Save(result, view, png.FullName);
            if (!output.Quiet)
            {
                Console.Error.WriteLine($"Plot written to {png.FullName}");
            }
        }
        if (output.Json)
        {
            Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Ok;
        }
        PrintResult(result, view);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// A result as people read it: its run, where it started (the kind's description), each scenario's KPIs with their
    /// intervals and text fields, then each what-if's paired differences from the baseline.
    /// </summary>
    private static void PrintResult(JsonObject result, ResultView view)
    {
        if (result["run"] is JsonObject run)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{run["replications"]} replications of {(double?)run["duration"]:G} time units (warm-up {(double?)run["warmup"]:G}), seed {run["seed"]}, 95% confidence intervals:"));
        }
        if (view.Describe?.Invoke(result) is { } description)
        {
            Console.WriteLine(description);
        }
        var scenarios = result["scenarios"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        Table.Print(["scenario", .. view.Columns.Select(c => c.Label), .. view.Fields], scenarios.Select(s => new[]
        {
            (string?)s["name"] ?? "",
        }.Concat(view.Columns.Select(c => Interval(s["kpis"]?[c.Kpi]))).Concat(view.Fields.Select(f => s[f]?.ToString() ?? "")).ToArray()));
        var whatIfs = scenarios.Where(s => s["comparisons"] is JsonObject).ToList();
        if (whatIfs.Count == 0 || view.Compared.Count == 0)
        {
            return;
        }
        Console.WriteLine();
        Console.WriteLine("Against the baseline (paired, common random numbers):");
        var first = view.Compared[0];
        Table.Print(["what-if", $"Δ {first.Label}", "change", .. view.Compared.Skip(1).Select(c => $"Δ {c.Label}"), "significant"], whatIfs.Select(s =>
        {
            var comparisons = s["comparisons"]!;
            var main = comparisons[first.Kpi];
            return new[] { (string?)s["name"] ?? "", Difference(main), Percent(main) }
                .Concat(view.Compared.Skip(1).Select(c => Difference(comparisons[c.Kpi])))
                .Append(main?["significant"] is JsonValue significant && (bool)significant ? "yes" : "no")
                .ToArray();
        }));
    }

    /// <summary>The view of the result's kind; for a kind this program does not have, every KPI without a dot in its name.</summary>
    private static ResultView View(PackCatalog packs, JsonObject result)
    {
        var kind = (string?)result["kind"] ?? "";
        if (packs.FindExperimentKind(kind) is { Kind: { } experiment })
        {
            return experiment.View;
        }
        if (packs.FindScenarioKind(kind) is { Kind: { } scenario })
        {
            return scenario.View;
        }
        var kpis = (result["scenarios"]?[0]?["kpis"] as JsonObject)?.Select(k => k.Key).Where(k => !k.Contains('.', StringComparison.Ordinal)).Select(k => new KpiColumn(k, k)).ToList() ?? [];
        return new ResultView { Columns = kpis, Compared = kpis };
    }

    private static string Interval(JsonNode? kpi) => kpi is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{Number(kpi["mean"]):G5} ± {Number(kpi["halfWidth"]):G3}");

    private static string Difference(JsonNode? c) => c is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{Number(c["difference"]):+0.#####;-0.#####} ± {Number(c["halfWidth"]):G3}");

    private static string Percent(JsonNode? c) => c?["percentChange"] is JsonValue value ? string.Create(CultureInfo.InvariantCulture, $"{(double)value:+0.0;-0.0}%") : "";

    // A number the result could not give (a change from zero) is null in JSON.
    private static double Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<double>(out var d) ? d : double.NaN;

    /// <summary>The whatIf section of a scenario file as YAML text.</summary>
    private static string? WhatIfText(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        if (stream.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root || !root.Children.TryGetValue(new YamlScalarNode("whatIf"), out var section))
        {
            return null;
        }
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(section)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>The scenario file's text with its run's values replaced where given.</summary>
    private static string WithRun(string text, Overrides overrides)
    {
        if (overrides.ToJson().Count == 0)
        {
            return text;
        }
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        if (!root.Children.TryGetValue(new YamlScalarNode("run"), out var node) || node is not YamlMappingNode run)
        {
            run = new YamlMappingNode();
            root.Children[new YamlScalarNode("run")] = run;
        }
        foreach (var (key, value) in overrides.ToJson())
        {
            run.Children[new YamlScalarNode(key)] = new YamlScalarNode(value!.ToJsonString());
        }
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>How the result is given: JSON or tables, with or without progress, and a plot.</summary>
    private sealed record Output(bool Json, bool Quiet, FileInfo? Plot);

    /// <summary>The run settings given on the command line, applied over a file's or a kind's.</summary>
    private sealed record Overrides(double? Duration, double? Warmup, int? Replications, ulong? Seed)
    {
        public RunSettings Apply(RunSettings run) => run.With(Duration, Warmup, Replications, Seed);

        public JsonObject ToJson()
        {
            var json = new JsonObject();
            if (Duration is { } d)
            {
                json["duration"] = d;
            }
            if (Warmup is { } w)
            {
                json["warmup"] = w;
            }
            if (Replications is { } r)
            {
                json["replications"] = r;
            }
            if (Seed is { } s)
            {
                json["seed"] = s;
            }
            return json;
        }

        /// <summary>"(with --replications 1)": what the user changed, for an error about the run.</summary>
        public string Describe()
        {
            var given = ToJson().Select(p => $"--{p.Key} {p.Value!.ToJsonString()}").ToList();
            return given.Count == 0 ? "" : $" (with {string.Join(", ", given)})";
        }
    }
}
