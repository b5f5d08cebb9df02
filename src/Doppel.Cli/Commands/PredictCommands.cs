using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Analytics.Rul;
using Doppel.Cli.Input;
using Doppel.Cli.Invocation;
using Doppel.Cli.Output;
using Doppel.Server.Analytics;
using Doppel.Server.Analytics.Internal;

namespace Doppel.Cli.Commands;

/// <summary>
/// doppel predict: remaining-useful-life predictors, trained and evaluated on files here (no server needed) or in a
/// server's registry (/doppel/predictors), assigned to DTDL models so their twins get live predictions.
/// </summary>
internal static class PredictCommands
{
    public static Command Create() => new("predict", "Train, evaluate and manage RUL predictors: on files here, or in a server's registry where they serve twins live.")
    {
        Train(),
        Evaluate(),
        Upload(),
        List(),
        Show(),
        Assign(),
        Unassign(),
        Explain(),
        Delete(),
    };

    private static Command Train()
    {
        var name = new Argument<string?>("name") { Description = "The predictor's name in the server's registry (not needed with --out).", Arity = ArgumentArity.ZeroOrOne };
        var data = new Option<string?>("--data") { Description = "Run-to-failure data: C-MAPSS text, or CSV with a unit,cycle,<channels> header.", HelpName = "file" };
        var format = FormatOption();
        var history = new Option<string?>("--history-model") { Description = "Train on the server's history instead: each twin of this model (and subtypes) in --from..--to is one run to failure.", HelpName = "dtmi" };
        var from = TimeInput.Option("--from", "Start of the history range (default: all of it).");
        var to = TimeInput.Option("--to", "End of the history range (default: now).");
        var kind = new Option<string>("--kind") { Description = "gbt, sequence or ensemble.", DefaultValueFactory = _ => "ensemble" };
        kind.AcceptOnlyFromAmong([.. RulTrainingOptions.Kinds]);
        var seed = new Option<int>("--seed") { Description = "Seeds the split, the trees and the network.", DefaultValueFactory = _ => 1 };
        var coverage = new Option<double>("--coverage") { Description = "Nominal coverage of the prediction intervals.", DefaultValueFactory = _ => 0.9 };
        var sensors = new Option<string[]?>("--sensors") { Description = "Sensor channels to learn from, comma-separated (default: all but settings and cycle, less near-constant ones).", AllowMultipleArgumentsPerToken = true };
        var settings = new Option<string[]?>("--settings") { Description = "Operating settings clustered into regimes, comma-separated (default: none).", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string?>("--out") { Description = "Train here, without a server, and write the predictor file (upload it later with doppel predict upload).", HelpName = "file" };
        var server = ClientOptions.Server();
        var command = new Command("train", "Train a predictor: here on a file (--out), or in the server's registry on a file (--data) or on its history (--history-model).")
        {
            name, data, format, history, from, to, kind, seed, coverage, sensors, settings, output, server,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new RulTrainingOptions
            {
                Kind = parse.GetValue(kind)!,
                Seed = parse.GetValue(seed),
                Coverage = parse.GetValue(coverage),
                Sensors = Split(parse.GetValue(sensors)),
                Settings = Split(parse.GetValue(settings)),
            };
            if (parse.GetValue(output) is { } outPath)
            {
                var file = parse.GetValue(data) ?? throw CommandFailure.Usage("train --out trains here: it needs --data FILE.");
                return TrainHere(ReadUnits(file, parse.GetValue(format)), options, file, outPath, ct);
            }
            var predictor = parse.GetValue(name) ?? throw CommandFailure.Usage("train needs the predictor's name (or --out FILE to train here without a server).");
            var body = new JsonObject { ["kind"] = options.Kind, ["seed"] = options.Seed, ["coverage"] = options.Coverage };
            if (options.Sensors is { } s)
            {
                body["sensors"] = new JsonArray([.. s.Select(c => (JsonNode)c)]);
            }
            if (options.Settings is { } r)
            {
                body["settings"] = new JsonArray([.. r.Select(c => (JsonNode)c)]);
            }
            if (parse.GetValue(history) is { } model)
            {
                body["history"] = new JsonObject { ["model"] = model, ["from"] = TimeInput.Format(parse.GetValue(from)), ["to"] = TimeInput.Format(parse.GetValue(to)) };
            }
            else if (parse.GetValue(data) is { } file)
            {
                body["data"] = new JsonObject { ["format"] = parse.GetValue(format) ?? TrainingData.FormatOf(file), ["name"] = System.IO.Path.GetFileName(file), ["text"] = DocumentText.ReadFile(file, "--data") };
            }
            else
            {
                throw CommandFailure.Usage("train needs --data FILE or --history-model DTMI.");
            }
            using var client = new DoppelClient(parse.GetValue(server)!);
            return await TrainThereAsync(client, predictor, body, ct);
        });
        return command;
    }

    private static Command Evaluate()
    {
        var name = new Argument<string?>("name") { Description = "The predictor in the server's registry (not needed with --model).", Arity = ArgumentArity.ZeroOrOne };
        var model = new Option<string?>("--model") { Description = "Evaluate this predictor file here, without a server.", HelpName = "file" };
        var data = new Option<string?>("--data") { Description = "Test trajectories: C-MAPSS text or CSV (unit,cycle,<channels>).", HelpName = "file" };
        var format = FormatOption();
        var truth = new Option<string?>("--truth") { Description = "The true RUL of each test unit at its last row, one a line (C-MAPSS RUL_FD00x.txt); default: the data run to failure.", HelpName = "file" };
        var history = new Option<string?>("--history-model") { Description = "Evaluate on the server's history instead: each twin of this model in --from..--to ran to failure.", HelpName = "dtmi" };
        var from = TimeInput.Option("--from", "Start of the history range.");
        var to = TimeInput.Option("--to", "End of the history range (default: now).");
        var version = new Option<int?>("--version") { Description = "The version to evaluate (default: the latest)." };
        var server = ClientOptions.Server();
        var command = new Command("evaluate", "RMSE, NASA score and interval coverage of a predictor at the last row of each test unit.") { name, model, data, format, truth, history, from, to, version, server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            var json = output.Read(parse).Json;
            if (parse.GetValue(model) is { } file)
            {
                var dataFile = parse.GetValue(data) ?? throw CommandFailure.Usage("evaluate --model evaluates here: it needs --data FILE.");
                var predictor = LoadFile(file);
                var units = ReadUnits(dataFile, parse.GetValue(format));
                var truthValues = parse.GetValue(truth) is { } truthFile ? ReadTruth(truthFile) : [.. units.Select(_ => 0.0)];
                if (truthValues.Count != units.Count)
                {
                    return DoppelClient.Fail(new DoppelError("InvalidArgument", $"--truth: {truthValues.Count} value(s) for {units.Count} unit(s) in {dataFile}; give one true RUL per unit, in order."));
                }
                var projected = PredictorRequests.Project(units, predictor.Channels, dataFile);
                if (!projected.IsSuccess)
                {
                    return DoppelClient.Fail(projected.Error);
                }
                var watch = Stopwatch.StartNew();
                var metrics = RulEvaluation.Evaluate(predictor, projected.Value, truthValues);
                return PrintMetrics(new JsonObject
                {
                    ["predictor"] = file,
                    ["source"] = "file " + System.IO.Path.GetFileName(dataFile),
                    ["metrics"] = PredictorVersion.MetricsJson(metrics),
                    ["durationMs"] = Math.Round(watch.Elapsed.TotalMilliseconds, 2),
                }, json);
            }
            var predictorName = parse.GetValue(name) ?? throw CommandFailure.Usage("evaluate needs the predictor's name (or --model FILE to evaluate a file here).");
            var body = new JsonObject();
            if (parse.GetValue(version) is { } v)
            {
                body["version"] = v;
            }
            if (parse.GetValue(history) is { } modelId)
            {
                body["history"] = new JsonObject { ["model"] = modelId, ["from"] = TimeInput.Format(parse.GetValue(from)), ["to"] = TimeInput.Format(parse.GetValue(to)) };
            }
            else if (parse.GetValue(data) is { } dataFile)
            {
                body["data"] = new JsonObject { ["format"] = parse.GetValue(format) ?? TrainingData.FormatOf(dataFile), ["name"] = System.IO.Path.GetFileName(dataFile), ["text"] = DocumentText.ReadFile(dataFile, "--data") };
                if (parse.GetValue(truth) is { } truthFile)
                {
                    body["truth"] = DocumentText.ReadFile(truthFile, "--truth");
                }
            }
            else
            {
                throw CommandFailure.Usage("evaluate needs --data FILE or --history-model DTMI.");
            }
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, result) = await client.SendAsync(HttpMethod.Post, Path(predictorName) + "/evaluate", body.ToJsonString(), ct: ct);
            return status == 200 ? PrintMetrics(result!, json) : DoppelClient.Fail(DoppelClient.Error(status, result));
        });
        return command;
    }

    private static Command Upload()
    {
        var name = new Argument<string>("name") { Description = "The predictor's name in the registry." };
        var file = new Argument<string>("file") { Description = "A predictor file from doppel predict train --out." };
        var server = ClientOptions.Server();
        var command = new Command("upload", "Store a predictor file trained here as the next version of a predictor in the server's registry.") { name, file, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var predictor = parse.GetValue(name)!;
            var (status, current) = await client.SendAsync(HttpMethod.Get, Path(predictor), ct: ct);
            if (status is not (200 or 404))
            {
                return DoppelClient.Fail(DoppelClient.Error(status, current));
            }
            var next = status == 200 ? (int)current!["version"]! + 1 : 1;
            var path = parse.GetValue(file)!;
            DocumentText.RequireFile(path, "file");
            var body = new JsonObject
            {
                ["file"] = Convert.ToBase64String(await File.ReadAllBytesAsync(path, ct)),
                ["training"] = new JsonObject { ["source"] = "upload " + System.IO.Path.GetFileName(path) },
            };
            var (stored, version) = await client.SendAsync(HttpMethod.Put, $"{Path(predictor)}/versions/{next}", body.ToJsonString(), ct: ct);
            if (stored != 201)
            {
                return DoppelClient.Fail(DoppelClient.Error(stored, version));
            }
            Console.WriteLine($"Stored {predictor}@{version!["version"]} ({version["kind"]}, window {version["window"]}).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List()
    {
        var server = ClientOptions.Server();
        var command = new Command("list", "List the predictors in the registry (latest version of each).") { server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var predictors = await client.ListAllAsync("doppel/predictors", ct);
            if (!predictors.IsSuccess)
            {
                return DoppelClient.Fail(predictors.Error);
            }
            var rows = predictors.Value.Select(p => (JsonNode?)new JsonObject
            {
                ["name"] = p!["name"]?.DeepClone(),
                ["version"] = p["version"]?.DeepClone(),
                ["kind"] = p["kind"]?.DeepClone(),
                ["rmse"] = p["metrics"]?["validation"]?["rmse"]?.DeepClone(),
                ["coverage"] = p["metrics"]?["validation"]?["coverage"]?.DeepClone(),
                ["source"] = p["training"]?["source"]?.DeepClone(),
                ["assigned"] = string.Join(", ", p["assignments"]!.AsArray().Select(a => (string)a!["model"]! + (a["version"] is { } v ? $"@{v}" : ""))),
                ["createdTime"] = p["createdTime"]?.DeepClone(),
            }).ToList();
            return Rows.Print(rows, ["name", "version", "kind", "rmse", "coverage", "source", "assigned", Column.Time("createdTime")], output.Read(parse), "predictor");
        });
        return command;
    }

    private static Command Show()
    {
        var name = new Argument<string>("name") { Description = "The predictor's name." };
        var server = ClientOptions.Server();
        var command = new Command("show", "Print a predictor as JSON: its latest version, assignments and all versions.") { name, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Get, Path(parse.GetValue(name)!), ct: ct);
            return status == 200 ? Rows.PrintJson(body) : DoppelClient.Fail(DoppelClient.Error(status, body));
        });
        return command;
    }

    private static Command Assign()
    {
        var name = new Argument<string>("name") { Description = "The predictor's name." };
        var model = new Argument<string>("model") { Description = "The DTDL model whose twins (and its subtypes' twins) it serves." };
        var version = new Option<int?>("--version") { Description = "Pin a version (default: always the latest)." };
        var server = ClientOptions.Server();
        var command = new Command("assign", "Assign a predictor to a model: its twins get rul, rulLower, rulUpper and rulPredictor on every new cycle.") { name, model, version, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var body = parse.GetValue(version) is { } v ? new JsonObject { ["version"] = v } : [];
            var (status, result) = await client.SendAsync(HttpMethod.Put, $"{Path(parse.GetValue(name)!)}/assignments/{Uri.EscapeDataString(parse.GetValue(model)!)}", body.ToJsonString(), ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, result));
            }
            Console.WriteLine($"Predictor '{result!["name"]}' {(parse.GetValue(version) is { } pinned ? $"version {pinned}" : "(latest version)")} serves the twins of {parse.GetValue(model)}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Unassign()
    {
        var name = new Argument<string>("name") { Description = "The predictor's name." };
        var model = new Argument<string>("model") { Description = "The DTDL model." };
        var server = ClientOptions.Server();
        var command = new Command("unassign", "Stop a predictor serving a model's twins (their last prediction stays).") { name, model, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, result) = await client.SendAsync(HttpMethod.Delete, $"{Path(parse.GetValue(name)!)}/assignments/{Uri.EscapeDataString(parse.GetValue(model)!)}", ct: ct);
            if (status != 204)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, result));
            }
            Console.WriteLine($"Predictor '{parse.GetValue(name)}' no longer serves {parse.GetValue(model)}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Explain()
    {
        var name = new Argument<string>("name") { Description = "The predictor's name." };
        var twin = new Option<string>("--twin") { Description = "The twin whose newest window to explain.", Required = true };
        var version = new Option<int?>("--version") { Description = "The version (default: the latest)." };
        var server = ClientOptions.Server();
        var command = new Command("explain", "The prediction for a twin now and how much each input moves it.") { name, twin, version, server };
        var output = OutputOptions.For(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var query = Rows.Query(("twinId", parse.GetValue(twin)), ("version", parse.GetValue(version)?.ToString(CultureInfo.InvariantCulture)));
            var (status, result) = await client.SendAsync(HttpMethod.Get, $"{Path(parse.GetValue(name)!)}/explain{query}", ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, result));
            }
            var format = output.Read(parse);
            if (format.Json)
            {
                return Rows.PrintJson(result);
            }
            Console.WriteLine($"{result!["twinId"]}: RUL {result["rul"]} cycles ({result["rulLower"]} to {result["rulUpper"]}) by {result["predictor"]}, from its newest {result["rows"]} row(s).");
            return Rows.Print([.. result["contributions"]!.AsArray()], ["feature", "contribution"], format, "input");
        });
        return command;
    }

    private static Command Delete()
    {
        var name = new Argument<string>("name") { Description = "The predictor's name." };
        var server = ClientOptions.Server();
        var command = new Command("delete", "Delete a predictor and all its versions (refused while it is assigned).") { name, server };
        command.SetAction(async (parse, ct) =>
        {
            using var client = new DoppelClient(parse.GetValue(server)!);
            var (status, body) = await client.SendAsync(HttpMethod.Delete, Path(parse.GetValue(name)!), ct: ct);
            if (status != 204)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, body));
            }
            Console.WriteLine($"Deleted predictor '{parse.GetValue(name)}'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int TrainHere(IReadOnlyList<Trajectory> units, RulTrainingOptions options, string dataFile, string outPath, CancellationToken ct)
    {
        if (options.Sensors?.Concat(options.Settings ?? []).FirstOrDefault(c => !units[0].Channels.Contains(c)) is { } missing)
        {
            throw CommandFailure.Usage($"'{missing}' is not a channel of {dataFile} ({string.Join(", ", units[0].Channels)}).");
        }
        var watch = Stopwatch.StartNew();
        RulPredictor predictor;
        try
        {
            predictor = RulTrainer.Train(units, options, null, ct);
        }
        catch (ArgumentException e)
        {
            return DoppelClient.Fail(new DoppelError("InvalidArgument", $"{dataFile}: {e.Message}"));
        }
        var trained = watch.Elapsed;
        try
        {
            using var file = File.Create(outPath);
            predictor.Save(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CommandFailure.Usage($"--out: cannot write {outPath}: {e.Message.TrimEnd('.')}.");
        }
        var v = predictor.Validation;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Trained {predictor.Kind} on {units.Count} units ({units.Sum(u => u.Rows.Length)} rows) in {trained.TotalSeconds:0.0} s; validation on {v.Units} held-out units: RMSE {v.Rmse:0.00}, NASA score {v.Score:0.0}, {options.Coverage:P0} intervals cover {v.Coverage:P0}. Wrote {outPath}."));
        return ExitCodes.Ok;
    }

    private static async Task<int> TrainThereAsync(DoppelClient client, string name, JsonObject body, CancellationToken ct)
    {
        var (status, operation) = await client.SendAsync(HttpMethod.Post, Path(name) + "/train", body.ToJsonString(), ct: ct);
        if (status != 202)
        {
            return DoppelClient.Fail(DoppelClient.Error(status, operation));
        }
        var path = $"{Path(name)}/operations/{operation!["id"]}";
        string? said = null;
        while ((string?)operation!["status"] is "notstarted" or "running")
        {
            if ((string?)operation["progress"] is { } progress && progress != said)
            {
                Console.Error.WriteLine($"  {progress}");
                said = progress;
            }
            // The operation has no event stream: it is read twice a second.
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            (status, operation) = await client.SendAsync(HttpMethod.Get, path, ct: ct);
            if (status != 200)
            {
                return DoppelClient.Fail(DoppelClient.Error(status, operation));
            }
        }
        if ((string?)operation["status"] != "succeeded")
        {
            return DoppelClient.Fail(DoppelClient.Error(400, operation));
        }
        var version = operation["predictor"]!;
        var metrics = version["metrics"]!["validation"]!;
        Console.WriteLine($"Trained {name}@{version["version"]} ({version["kind"]}) on {version["training"]!["units"]} units in {version["training"]!["durationMs"]} ms; validation RMSE {metrics["rmse"]}, NASA score {metrics["score"]}, coverage {metrics["coverage"]}.");
        return ExitCodes.Ok;
    }

    private static int PrintMetrics(JsonNode result, bool json)
    {
        if (json)
        {
            return Rows.PrintJson(result);
        }
        var m = result["metrics"]!;
        Console.WriteLine($"{result["predictor"]} on {result["source"]}: {m["units"]} units, RMSE {m["rmse"]}, NASA score {m["score"]}, interval coverage {m["coverage"]} ({result["durationMs"]} ms).");
        return ExitCodes.Ok;
    }

    private static IReadOnlyList<Trajectory> ReadUnits(string file, string? format)
    {
        var text = DocumentText.ReadFile(file, "--data");
        var read = TrainingData.Read(format ?? TrainingData.FormatOf(file), text, file);
        return read.IsSuccess ? read.Value : throw CommandFailure.Failed(read.Error.Message);
    }

    private static IReadOnlyList<double> ReadTruth(string file)
    {
        var read = CmapssData.ReadTruth(new StringReader(DocumentText.ReadFile(file, "--truth")), file);
        return read.IsSuccess ? read.Value : throw CommandFailure.Failed(read.Error.Message);
    }

    private static RulPredictor LoadFile(string file)
    {
        DocumentText.RequireFile(file, "--model");
        using var stream = File.OpenRead(file);
        var loaded = RulPredictor.Load(stream);
        return loaded.IsSuccess ? loaded.Value : throw CommandFailure.Failed($"--model: {file} is not a predictor file: {loaded.Error.Message}");
    }

    private static Option<string?> FormatOption()
    {
        var format = new Option<string?>("--format") { Description = "cmapss or csv (default: csv for a .csv file, else cmapss)." };
        format.AcceptOnlyFromAmong([.. TrainingData.Formats]);
        return format;
    }

    /// <summary>Names given as repeated options or comma-separated; null when none (an absent option reads as an empty array).</summary>
    private static string[]? Split(string[]? values) =>
        values is not { Length: > 0 } ? null : [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    private static string Path(string name) => "doppel/predictors/" + Uri.EscapeDataString(name);
}
