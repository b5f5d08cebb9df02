using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Cli.Bench.Dtdl;
using Doppel.Cli.Invocation;
using Doppel.Cli.Output;

namespace Doppel.Cli.Commands;

/// <summary>
/// doppel bench dtdl: differential fuzzing of Doppel's DTDL parser against the official one (DTDLParser, as WebAssembly
/// under Node.js): seeded mutations of the conformance corpus and the sample models, agreement per DTDL version on all
/// inputs, on those the official parser accepts and on those it refuses, and the largest groups of disagreements.
/// </summary>
internal static class BenchDtdlCommand
{
    public const ulong DefaultSeed = 20251207;

    public static Command Create()
    {
        var inputs = new Option<int>("--inputs") { Description = "Mutated document sets to parse with both parsers.", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the mutator: the same seed gives the same inputs.", DefaultValueFactory = _ => DefaultSeed };
        var examples = new Option<int>("--examples") { Description = "Disagreement groups to show with a minimised example.", DefaultValueFactory = _ => 10 };
        var repository = new Option<string?>("--repository") { Description = "The Doppel source tree, which holds the seeds (the conformance corpus) and the peer (tests/compat); default: found from the current folder up.", HelpName = "folder" };
        var json = ClientOptions.Json();
        var command = new Command("dtdl", "DTDL parser agreement with the official parser (DTDLParser under Node.js) on seeded mutations of the conformance corpus, per DTDL version and verdict.")
        {
            inputs, seed, examples, repository, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var count = parse.GetValue(inputs);
            var shown = parse.GetValue(examples);
            if (count < 1 || shown < 0)
            {
                throw CommandFailure.Usage("--inputs must be positive and --examples not negative.");
            }

            var root = parse.GetValue(repository) ?? FindRepository()
                ?? throw CommandFailure.Usage("The Doppel source tree was not found from the current folder up: run the command inside a clone, or give --repository.");
            var corpus = FuzzSeeds.CorpusIn(root);
            if (!Directory.Exists(corpus))
            {
                throw CommandFailure.Usage($"{root} holds no DTDL conformance corpus ({corpus}): --repository must name the Doppel source tree.");
            }

            var started = await DtdlPeer.StartAsync(Path.Combine(root, "tests", "compat"), ct);
            if (!started.IsSuccess)
            {
                throw CommandFailure.Failed($"The official parser is needed as the peer: {started.Error.Message}.");
            }

            await using var peer = started.Value;
            var seeds = FuzzSeeds.Load(corpus, FuzzSeeds.OntologyIn(root), FuzzSeeds.SamplesIn(root));
            var report = await ProgressDisplay.RunAsync(Terminal.ShowsProgress, "parsing", progress =>
                DtdlDifferential.RunAsync(peer, seeds, parse.GetValue(seed), count, shown,
                    done => progress.Report(new ProgressReport(done, count, $"{done:N0}/{count:N0} inputs")), ct));
            if (parse.GetValue(json))
            {
                Console.WriteLine(ToJson(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                Print(report, shown);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The folder holding Doppel.slnx and the peer script, from the current folder up, then from the program's.</summary>
    public static string? FindRepository()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Doppel.slnx")) && File.Exists(Path.Combine(dir.FullName, "tests", "compat", DtdlPeer.Script)))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    private static void Print(DifferentialReport report, int shown)
    {
        Console.WriteLine($"{report.Inputs:N0} mutated document sets (seed {report.Seed}); peer: {report.ParserVersion.Split(',')[0]} {Version(report.ParserVersion)} (WebAssembly, default options)");
        Console.WriteLine($"  {"DTDL",-6} {"inputs",8} {"agree",8} {"peer accepts",14} {"Doppel too",11} {"peer refuses",14} {"Doppel too",11}");
        foreach (var v in report.Versions.Append(report.Total))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {v.Version,-6} {v.Inputs,8:N0} {v.Overall,8:P2} {v.PeerAccepted,14:N0} {v.OnAccepted,11:P2} {v.PeerRefused,14:N0} {v.OnRefused,11:P2}"));
        }

        if (report.Clusters.Count == 0)
        {
            Console.WriteLine("  no disagreements");
            return;
        }

        Console.WriteLine($"  {report.Clusters.Sum(c => c.Count):N0} disagreements in {report.Clusters.Count} groups; the largest:");
        foreach (var cluster in report.Clusters.Take(shown))
        {
            Console.WriteLine($"  {cluster.Count,6:N0}  {cluster.Key}  [{string.Join(", ", cluster.Versions.Select(v => $"{v.Version} {v.Count}"))}]");
            for (var d = 0; d < cluster.Example.Count; d++)
            {
                Console.WriteLine($"          document {d}: {Clip(cluster.Example[d], 600)}");
            }

            Console.WriteLine($"          official: {Clip(cluster.PeerSays, 300)}");
            Console.WriteLine($"          Doppel:   {Clip(cluster.DoppelSays, 300)}");
        }
    }

    private static JsonObject ToJson(DifferentialReport report) => new()
    {
        ["peer"] = report.ParserVersion,
        ["seed"] = report.Seed,
        ["inputs"] = report.Inputs,
        ["versions"] = new JsonArray(report.Versions.Append(report.Total).Select(v => (JsonNode)new JsonObject
        {
            ["version"] = v.Version,
            ["inputs"] = v.Inputs,
            ["agree"] = v.Agree,
            ["peerAccepted"] = v.PeerAccepted,
            ["bothAccepted"] = v.BothAccepted,
            ["peerRefused"] = v.PeerRefused,
            ["bothRefused"] = v.BothRefused,
        }).ToArray()),
        ["clusters"] = new JsonArray(report.Clusters.Select(c => (JsonNode)new JsonObject
        {
            ["peerAccepts"] = c.PeerAccepts,
            ["key"] = c.Key,
            ["count"] = c.Count,
            ["versions"] = new JsonObject(c.Versions.Select(v => KeyValuePair.Create(v.Version, (JsonNode?)v.Count))),
            ["firstInput"] = c.FirstIndex,
            ["example"] = new JsonArray(c.Example.Select(d => (JsonNode)d).ToArray()),
            ["official"] = c.PeerSays,
            ["doppel"] = c.DoppelSays,
        }).ToArray()),
    };

    private static string Version(string assembly) =>
        assembly.Split(',').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("Version=", StringComparison.Ordinal))?["Version=".Length..] ?? "";

    private static string Clip(string text, int max)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= max ? line : line[..max] + $"… ({line.Length:N0} characters)";
    }
}
