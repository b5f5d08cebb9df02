using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Cli.Input;
using Doppel.Cli.Invocation;
using Doppel.Cli.Output;
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
    private const string NothingToPlot = "this kind of result has nothing to plot; leave out --plot.";

    public static Command Create(PackCatalog packs)
    {
        var file = new Argument<string?>("scenario")
        {
            Description = "A scenario file (YAML or JSON), or - for standard input: its kind (e.g. a line), the run, and what-ifs; see docs/simulation.md. With --twin, only its whatIf section is used; with an explicit --server (and no --twin), that server runs it as an experiment.",
            Arity = ArgumentArity.ZeroOrOne,
        }.Reads(InputKind.JsonOrYamlFile);
        var twin = new Option<string?>("--twin") { Description = "Fork the live twin with this id on a server (POST /doppel/scenarios), from its current state; its model picks the scenario kind." };
        // The first pack's forks named the twin by what it was; the option keeps working under that name.
        twin.Aliases.Add("--line");
        var at = TimeInput.Option("--at", "With --twin: start from the twin's state at this past time, read from history:");
        var duration = new Option<double?>("--duration") { Description = "Simulated time per replication (overrides the file or the kind's default)." };
        var warmup = new Option<double?>("--warmup") { Description = "Warm-up left out of the statistics (overrides the file or the kind's default)." };
        // With --twin, or given explicitly with a file: the server runs it (the file through POST /doppel/experiments) instead of this process.
        var server = ClientOptions.Server();
        var replications = new Option<int?>("--replications") { Description = "Replications per scenario, at least 2 (overrides the file or the kind's default)." };
        var seed = new Option<ulong?>("--seed") { Description = "The experiment's seed (overrides the file)." };
        var plot = new Option<FileInfo?>("--plot") { Description = "Also draw the result (each scenario's main KPI with its 95% interval, and the baseline's breakdown) to this PNG file." };
        var command = new Command("simulate", "Simulate a scenario file or fork a live twin, with what-ifs; print KPIs with 95% confidence intervals and paired comparisons.")
        {
            file, replications, seed, plot, twin, at, duration, warmup, server,
        };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            var overrides = new Overrides(parse.GetValue(duration), parse.GetValue(warmup), parse.GetValue(replications), parse.GetValue(seed));
            var format = output.Read(parse);
            var show = new Show(format, Progress: !format.Json && Terminal.ShowsProgress, parse.GetValue(plot));
            var scenario = parse.GetValue(file) is { } path ? ScenarioText.Read(path) : null;
            if (parse.GetValue(twin) is { } twinId)
            {
                return await ForkAsync(packs, parse.GetValue(server)!, twinId, scenario, parse.GetValue(at), overrides, show, ct);
            }
            if (parse.GetValue(at) is not null)
            {
                throw CommandFailure.Usage("--at is where a fork of a live twin starts; give --twin ID with it.");
            }
            if (scenario is null)
            {
                throw CommandFailure.Usage("give a scenario file, or --twin ID to fork a live twin on a server.");
            }
            var read = packs.ReadExperiment(scenario.Text);
            var onServer = parse.GetResult(server) is { Implicit: false };
            if (!read.IsSuccess)
            {
                if (onServer && DocumentReader.Parse(scenario.Text).IsSuccess)
                {
                    // The server may have a kind this program lacks: it says what is wrong with the file, if anything.
                    return await OnServerAsync(packs, parse.GetValue(server)!, "doppel/experiments", WithRun(scenario.Text, overrides), "application/yaml", show, ct);
                }
                throw CommandFailure.Usage($"{scenario.Name}: {read.Error.Message}");
            }
            var experiment = read.Value;
            var run = overrides.Apply(experiment.Plan.Run);
            if (run.Validate() is { Count: > 0 } errors)
            {
                throw CommandFailure.Usage($"{scenario.Name}: run{overrides.Describe()}: {string.Join(" ", errors)}");
            }
            if (onServer)
            {
                return await OnServerAsync(packs, parse.GetValue(server)!, "doppel/experiments", WithRun(scenario.Text, overrides), "application/yaml", show, ct);
            }
            if (show.Plot is not null && experiment.Kind.View.Plot is null)
            {
                throw CommandFailure.Usage(NothingToPlot);
            }
            experiment = experiment.WithRun(run);
            // The replications run on the thread pool, so that the progress display redraws and Ctrl+C is seen meanwhile.
            var result = await ProgressDisplay.RunAsync(show.Progress, "replications", progress =>
                Task.Run(() => experiment.Execute(ProgressDisplay.Steps(progress, "replications"), ct), ct));
            return Print(result, experiment.Kind.View, show);
        });
        return command;
    }

    /// <summary>Prints a result as a server returns it (also <c>doppel runs show</c>): with its kind's view when this program has the kind.</summary>
    internal static void PrintServerResult(JsonNode body, bool wide)
    {
        if (body is JsonObject { } optimized && optimized["report"] is JsonArray report)
        {
            // An optimization run: the pack's report, texts as lines and tables as tables (as doppel optimize prints it).
            foreach (var block in report.OfType<JsonObject>())
            {
                if (block["text"] is JsonValue text)
                {
                    Console.WriteLine((string?)text);
                }
                else if (block["headers"] is JsonArray headers && block["rows"] is JsonArray rows)
                {
                    Table.Print([.. headers.Select(h => (string?)h ?? "")], rows.OfType<JsonArray>().Select(r => r.Select(c => (string?)c ?? "").ToArray()), wide);
                }
            }
        }
        else if (body is JsonObject result)
        {
            PrintResult(result, View(PackCatalog.Discovered, result), wide);
        }
    }

    /// <summary>Forks a live twin through the server, with the file's what-ifs, and prints what came back.</summary>
    private static async Task<int> ForkAsync(PackCatalog packs, string url, string twinId, ScenarioText? whatIf, DateTimeOffset? at, Overrides overrides, Show show, CancellationToken ct)
    {
        var request = new JsonObject { ["twin"] = twinId };
        if (overrides.ToJson() is { Count: > 0 } run)
        {
            request["run"] = run;
        }
        if (at is { } time)
        {
            request["at"] = TimeInput.Format(time);
        }
        if (whatIf is not null)
        {
            // The server reads the file's whatIf section as the kind reads it (YAML text); lines are the file's own.
            var section = DocumentReader.Read(whatIf.Text, root => root.Contains("whatIf") ? WhatIfText(whatIf.Text) : null);
            if (!section.IsSuccess)
            {
                throw CommandFailure.Usage($"{whatIf.Name}: {section.Error.Message}");
            }
            if (section.Value is { } text)
            {
                request["whatIf"] = text;
            }
        }
        return await OnServerAsync(packs, url, "doppel/scenarios", request.ToJsonString(), "application/json", show, ct);
    }

    /// <summary>Submits a scenario or an experiment to the server as a run, follows its progress, and prints its result.</summary>
    private static async Task<int> OnServerAsync(PackCatalog packs, string url, string path, string body, string contentType, Show show, CancellationToken ct)
    {
        using var client = new DoppelClient(url);
        var finished = await RunsCommands.SubmitAndFollowAsync(client, path, body, contentType, show.Progress, ct);
        if (!finished.IsSuccess)
        {
            return DoppelClient.Fail(finished.Error);
        }
        if (finished.Value["result"] is not JsonObject result)
        {
            // A run that failed or was cancelled on the server: its summary, and its error, on one line.
            throw CommandFailure.Failed(RunsCommands.Summary(finished.Value).Replace("\n  ", "; ", StringComparison.Ordinal));
        }
        return Print(result, View(packs, result), show);
    }

    private static int Print(JsonObject result, ResultView view, Show show)
    {
        if (show.Plot is { } png)
        {
            if (view.Plot is null)
            {
                throw CommandFailure.Usage(NothingToPlot);
            }
            SimulationPlots.Save(result, view, png.FullName);
            if (show.Progress)
            {
                Console.Error.WriteLine($"Plot written to {png.FullName}");
            }
        }
        if (show.Format.Json)
        {
            return Rows.PrintJson(result);
        }
        PrintResult(result, view, show.Format.Wide);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// A result as people read it: its run, where it started (the kind's description), each scenario's KPIs with their
    /// intervals and text fields, then each what-if's paired differences from the baseline.
    /// </summary>
    private static void PrintResult(JsonObject result, ResultView view, bool wide)
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
        }.Concat(view.Columns.Select(c => Interval(s["kpis"]?[c.Kpi]))).Concat(view.Fields.Select(f => CellText.Of(s[f]))).ToArray()), wide, "scenario");
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
        }), wide, "what-if");
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

    // A mean to five significant digits, its half-width to three: the interval says how many of the mean's digits count.
    private static string Interval(JsonNode? kpi) => kpi is null ? "" : $"{CellText.Number(Number(kpi["mean"]), 5)} ± {CellText.Number(Number(kpi["halfWidth"]), 3)}";

    // A difference to five decimals, signed: comparisons of one KPI line up on their decimal point.
    private static string Difference(JsonNode? c) => c is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{Number(c["difference"]):+0.#####;-0.#####} ± {CellText.Number(Number(c["halfWidth"]), 3)}");

    private static string Percent(JsonNode? c) => c?["percentChange"] is JsonValue value ? string.Create(CultureInfo.InvariantCulture, $"{(double)value:+0.0;-0.0}%") : "";

    // A number the result could not give (a change from zero) is null in JSON.
    private static double Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<double>(out var d) ? d : double.NaN;

    /// <summary>The whatIf section of a scenario file as YAML text.</summary>
    private static string? WhatIfText(string scenario)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(scenario));
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

    /// <summary>How the result is given: JSON or tables (wide or not), with or without a progress display, and a plot.</summary>
    private sealed record Show(OutputFormat Format, bool Progress, FileInfo? Plot);

    /// <summary>A scenario file's text, and its name in messages: the file's name, or stdin.</summary>
    private sealed record ScenarioText(string Name, string Text)
    {
        public static ScenarioText Read(string path) => new(path == "-" ? "stdin" : Path.GetFileName(path), DocumentText.ReadFile(path, "scenario"));
    }

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
