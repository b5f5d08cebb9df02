using System.Globalization;
using Doppel.Simulation.Experiments;
using Spectre.Console;

namespace Doppel.Cli.Output;

/// <summary>A live progress bar (Spectre.Console) on standard error while work runs; nothing at all when standard error is not a terminal.</summary>
internal static class ProgressDisplay
{
    public static async Task<T> RunAsync<T>(bool show, string description, Func<IProgress<ProgressReport>, Task<T>> work)
    {
        if (!show)
        {
            return await work(new Progress<ProgressReport>());
        }
        var display = new Spectre.Console.Progress(Terminal.Error, TimeProvider.System)
        {
            AutoClear = false,
            HideCompleted = false,
        }.Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn());
        return await display.StartAsync(async context =>
        {
            var task = context.AddTask(Markup.Escape(description), maxValue: 1);
            return await work(new Sink(task));
        });
    }

    /// <summary>A simulation's progress (replications, generations) as reports to <paramref name="progress"/>: "3/18 replications".</summary>
    public static IProgress<ExperimentProgress> Steps(IProgress<ProgressReport> progress, string unit) => new StepSink(progress, unit);

    private sealed class StepSink(IProgress<ProgressReport> progress, string unit) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value) =>
            progress.Report(new ProgressReport(value.Completed, value.Total, string.Create(CultureInfo.InvariantCulture, $"{value.Completed}/{value.Total} {unit}")));
    }

    /// <summary>Reports straight into the task: <see cref="Progress{T}"/> would post to the thread pool and could reorder reports.</summary>
    private sealed class Sink(ProgressTask task) : IProgress<ProgressReport>
    {
        public void Report(ProgressReport value)
        {
            task.MaxValue = Math.Max(value.Total, 1);
            task.Value = Math.Min(value.Completed, task.MaxValue);
            if (value.Description is { } description)
            {
                task.Description = Markup.Escape(description);
            }
        }
    }
}

/// <summary>How far work has come, and optionally what it is doing now.</summary>
internal readonly record struct ProgressReport(double Completed, double Total, string? Description = null);
