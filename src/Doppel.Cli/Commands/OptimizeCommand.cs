using System.CommandLine;
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
        var command = new Command("optimize", "Search what a scenario file's 'optimize' section asks for (for a line: the buffer allocation with the highest throughput under a budget, or a preventive maintenance interval), on common random numbers, and confirm it.") { file };
        var wide = OutputOptions.WideFor(command);
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var name = path == "-" ? "stdin" : Path.GetFileName(path);
            var read = packs.ReadExperiment(DocumentText.ReadFile(path, "scenario"));
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
