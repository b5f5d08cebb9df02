using System.CommandLine;
using System.Text.Json.Nodes;
using Doppel.Cli.Input;
using Doppel.Cli.Invocation;
using Doppel.Cli.Output;
using Doppel.Packs;

namespace Doppel.Cli.Commands;

/// <summary>
/// doppel optimize: runs what a scenario file's <c>optimize</c> section asks for, with its kind's optimizer (for a line:
/// the buffer allocation, or a preventive maintenance interval among candidates or by CMA-ES), and prints its report.
/// </summary>
internal static class OptimizeCommand
{
    public static Command Create(PackCatalog packs)
    {
        var file = new Argument<string>("scenario")
        {
            Description = "A scenario file with an 'optimize' section (for a line: 'optimize: { buffers: { budget, min, max } }' or 'optimize: { maintenance: ... }'), or - for standard input.",
        }.Reads(InputKind.JsonOrYamlFile);
        // Given explicitly, the server runs the search (POST /doppel/experiments?optimize=true) as a run this command follows.
        var server = ClientOptions.Server();
        var command = new Command("optimize", "Search what a scenario file's 'optimize' section asks for (for a line: the buffer allocation with the highest throughput under a budget, or a preventive maintenance interval), on common random numbers, and confirm it; here, or on the server given with --server.") { file, server };
        var wide = OutputOptions.WideFor(command);
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var name = path == "-" ? "stdin" : Path.GetFileName(path);
            var text = DocumentText.ReadFile(path, "scenario");
            if (parse.GetResult(server) is { Implicit: false })
            {
                return await OnServerAsync(parse.GetValue(server)!, text, parse.GetValue(wide), ct);
            }
            var read = packs.ReadExperiment(text);
            if (!read.IsSuccess)
            {
                throw CommandFailure.Usage($"{name}: {read.Error.Message}");
            }
            if (read.Value.Plan.Optimization is not { } optimization)
            {
                throw CommandFailure.Usage($"{name} has no 'optimize' section that its kind ({read.Value.Kind.Name}) can search; see docs/simulation.md.");
            }
            // The search runs on the thread pool, so that the progress display redraws and Ctrl+C is seen meanwhile.
            var report = await ProgressDisplay.RunAsync(Terminal.ShowsProgress, optimization.StepName, progress =>
                Task.Run(() => optimization.Run(ProgressDisplay.Steps(progress, optimization.StepName), ct), ct));
            Print(report, parse.GetValue(wide));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Submits the file to be optimized on the server, follows the run, and prints the report it returns.</summary>
    private static async Task<int> OnServerAsync(string url, string text, bool wide, CancellationToken ct)
    {
        using var client = new DoppelClient(url);
        var finished = await RunsCommands.SubmitAndFollowAsync(client, "doppel/experiments?optimize=true", text, "application/yaml", Terminal.ShowsProgress, ct);
        if (!finished.IsSuccess)
        {
            return DoppelClient.Fail(finished.Error);
        }
        if (finished.Value["result"] is not JsonObject result)
        {
            throw CommandFailure.Failed(RunsCommands.Summary(finished.Value).Replace("\n  ", "; ", StringComparison.Ordinal));
        }
        SimulateCommand.PrintServerResult(result, wide);
        return ExitCodes.Ok;
    }

    /// <summary>A pack's report: its texts as lines, its tables as tables.</summary>
    private static void Print(Report report, bool wide)
    {
        foreach (var block in report.Blocks)
        {
            switch (block)
            {
                case ReportText text:
                    Console.WriteLine(text.Text);
                    break;
                case ReportTable table:
                    Table.Print(table.Headers, table.Rows.Select(r => r.ToArray()), wide);
                    break;
            }
        }
    }
}
