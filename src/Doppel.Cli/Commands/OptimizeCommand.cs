using System.CommandLine;
using Doppel.Packs;
using Doppel.Simulation.Experiments;

namespace Doppel.Cli.Commands;

/// <summary>
/// doppel optimize: runs what a scenario file's <c>optimize</c> section asks for, with its kind's optimizer (for a line:
/// the buffer allocation, or a preventive maintenance interval among candidates or by CMA-ES), and prints its report.
/// </summary>
internal static class OptimizeCommand
{
    public static Command Create(PackCatalog packs)
    {
        var file = new Argument<FileInfo>("scenario") { Description = "A scenario file with an 'optimize' section (for a line: 'optimize: { buffers: { budget, min, max } }' or 'optimize: { maintenance: ... }')." };
        var command = new Command("optimize", "Search what a scenario file's 'optimize' section asks for (for a line: the buffer allocation with the highest throughput under a budget, or a preventive maintenance interval), on common random numbers, and confirm it.") { file };
        command.SetAction((parse, ct) =>
        {
            var input = parse.GetValue(file)!;
            if (!input.Exists)
            {
                Console.Error.WriteLine($"doppel: {input.FullName} does not exist.");
                return Task.FromResult(ExitCodes.Usage);
            }
            var read = packs.ReadExperiment(File.ReadAllText(input.FullName));
            if (!read.IsSuccess)
            {
                Console.Error.WriteLine($"doppel: {input.Name}: {read.Error.Message}");
                return Task.FromResult(ExitCodes.Usage);
            }
            if (read.Value.Plan.Optimization is not { } optimization)
            {
                Console.Error.WriteLine($"doppel: {input.Name} has no 'optimize' section that its kind ({read.Value.Kind.Name}) can search; see docs/simulation.md.");
                return Task.FromResult(ExitCodes.Usage);
            }
            var quiet = Console.IsErrorRedirected;
            var progress = new Progress<ExperimentProgress>(p =>
            {
                if (!quiet)
                {
                    Console.Error.Write($"\r{ImportCommand.ProgressBar(p.Completed / (double)Math.Max(p.Total, 1), 24)} {p.Completed}/{p.Total} {optimization.StepName}");
                }
            });
            var report = optimization.Run(progress, ct);
            if (!quiet)
            {
                Console.Error.WriteLine();
            }
            Print(report);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>A pack's report: its texts as lines, its tables as tables.</summary>
    internal static void Print(Report report)
    {
        foreach (var block in report.Blocks)
        {
            switch (block)
            {
                case ReportText text:
                    Console.WriteLine(text.Text);
                    break;
                case ReportTable table:
                    Table.Print(table.Headers, table.Rows.Select(r => r.ToArray()));
                    break;
            }
        }
    }
}
