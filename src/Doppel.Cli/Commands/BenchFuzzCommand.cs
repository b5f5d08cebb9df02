using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Cli.Bench.Fuzz;
using Doppel.Cli.Invocation;

namespace Doppel.Cli.Commands;

/// <summary>
/// doppel bench fuzz: a million seeded inputs (by default) through one of Doppel's parsers of untrusted text (queries,
/// route filters, JSON Patch, mapping and scenario files, device payloads), on every core: no exception may escape, no
/// input may hang, and what is accepted must work. Prints the throughput, how inputs fared, and each distinct failure
/// with its input minimised and the command that replays it.
/// </summary>
internal static class BenchFuzzCommand
{
    public const ulong DefaultSeed = 20251207;

    public static Command Create()
    {
        var target = new Option<string>("--target") { Description = $"The parser: {string.Join(", ", FuzzTargets.Names)}, or all.", Required = true };
        target.AcceptOnlyFromAmong([.. FuzzTargets.Names, "all"]);
        var inputs = new Option<long>("--inputs") { Description = "Inputs per target.", DefaultValueFactory = _ => 1_000_000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the inputs: the same seed gives the same inputs.", DefaultValueFactory = _ => DefaultSeed };
        var workers = new Option<int>("--workers") { Description = "Threads running inputs (default: one per core).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var replay = new Option<long?>("--replay") { Description = "Run only input N of the seed and print it with its outcome (to reproduce a failure).", HelpName = "N" };
        var repository = new Option<string?>("--repository") { Description = "The Doppel source tree, whose tests, docs and samples add seeds; default: found from the current folder up, else built-in seeds only.", HelpName = "folder" };
        var json = ClientOptions.Json();
        var command = new Command("fuzz", "Fuzz a parser of untrusted input with seeded structure-aware inputs: no exception escapes, no hang, accepted inputs work.")
        {
            target, inputs, seed, workers, replay, repository, json,
        };
        command.SetAction(parse =>
        {
            var count = parse.GetValue(inputs);
            var threads = parse.GetValue(workers);
            if (count < 1 || threads < 1)
            {
                throw CommandFailure.Usage("--inputs and --workers must be positive.");
            }

            var root = parse.GetValue(repository) ?? FuzzCorpus.FindRepository();
            var names = parse.GetValue(target) is "all" ? FuzzTargets.Names : [parse.GetValue(target)!];
            var s = parse.GetValue(seed);
            if (parse.GetValue(replay) is { } index)
            {
                return Replay(FuzzTargets.Create(names[0], root)!, s, index);
            }

            var reports = new List<FuzzReport>();
            foreach (var name in names)
            {
                var fuzz = FuzzTargets.Create(name, root)!;
                if (!parse.GetValue(json))
                {
                    Console.WriteLine($"{name}: {fuzz.Description}; {fuzz.Mutator}; seed {s}, {count:N0} inputs on {threads} threads");
                }

                reports.Add(FuzzCampaign.Run(fuzz, s, count, threads, null, (i, input) =>
                {
                    Console.WriteLine($"HANG: input {i} of {name} ran longer than {FuzzCampaign.HangLimit.TotalSeconds:N0} s: {Clip(JsonSerializer.Serialize(FuzzCampaign.Printable(input)))}");
                    Console.WriteLine($"  replay: doppel bench fuzz --target {name} --seed {s} --replay {i}");
                }));
                if (!parse.GetValue(json))
                {
                    Print(reports[^1]);
                }
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonArray([.. reports.Select(ToJson)]).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }

            return reports.Any(r => r.Exceptions > 0) ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command;
    }

    private static int Replay(IFuzzTarget target, ulong seed, long index)
    {
        var input = target.Mutator.Make(seed, index);
        Console.WriteLine($"input {index} of {target.Name}, seed {seed}:");
        Console.WriteLine(input);
        var (outcome, error) = FuzzCampaign.RunAlone(target, input);
        Console.WriteLine(outcome is not null ? $"outcome: {outcome}" : error is not null ? $"FAILED: {error}" : $"HANG: still running after {FuzzCampaign.HangLimit.TotalSeconds:N0} s");
        // A hung input's thread cannot be stopped: leave without waiting for it.
        return outcome is not null ? ExitCodes.Ok : error is not null ? ExitCodes.Failed : Exit(ExitCodes.Failed);
    }

    private static int Exit(int code)
    {
        Console.Out.Flush();
        Environment.Exit(code);
        return code;
    }

    private static void Print(FuzzReport report)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {report.Inputs:N0} inputs in {report.Seconds:F1} s: {report.InputsPerSecond:N0} inputs/s; {report.Exceptions:N0} failed ({report.Failures.Count} distinct)"));
        foreach (var (outcome, n) in report.Outcomes.Take(12))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {n,10:N0}  {outcome}"));
        }

        foreach (var failure in report.Failures)
        {
            Console.WriteLine($"  FAILURE {failure.Signature}, input {failure.Index}: {failure.Type}: {Clip(failure.Message)}");
            foreach (var frame in failure.Stack.Take(6))
            {
                Console.WriteLine($"      {frame}");
            }

            Console.WriteLine($"    minimised input: {Clip(JsonSerializer.Serialize(FuzzCampaign.Printable(failure.Minimal)))}");
            Console.WriteLine($"    replay: doppel bench fuzz --target {report.Target} --seed {report.Seed} --replay {failure.Index}");
        }
    }

    private static JsonObject ToJson(FuzzReport report) => new()
    {
        ["target"] = report.Target,
        ["seed"] = report.Seed,
        ["inputs"] = report.Inputs,
        ["workers"] = report.Workers,
        ["seconds"] = Math.Round(report.Seconds, 2),
        ["inputsPerSecond"] = Math.Round(report.InputsPerSecond),
        ["failedInputs"] = report.Exceptions,
        ["outcomes"] = new JsonObject([.. report.Outcomes.Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value))]),
        ["failures"] = new JsonArray([.. report.Failures.Select(f => Failure(report, f))]),
    };

    private static JsonNode Failure(FuzzReport report, FuzzFailure failure) => new JsonObject
    {
        ["signature"] = failure.Signature,
        ["index"] = failure.Index,
        ["type"] = failure.Type,
        ["message"] = FuzzCampaign.Printable(failure.Message),
        ["minimal"] = FuzzCampaign.Printable(failure.Minimal),
        ["replay"] = $"doppel bench fuzz --target {report.Target} --seed {report.Seed} --replay {failure.Index}",
    };

    private static string Clip(string text, int max = 1000) => text.Length > max ? text[..max] + $"… ({text.Length:N0} characters)" : text;
}
