using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Doppel.Packs.Manufacturing;
using Doppel.Simulation.Experiments;

namespace Doppel.Cli.Commands;

/// <summary>doppel simulate: runs a production-line scenario file and compares its what-ifs with the baseline, with confidence intervals.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("scenario") { Description = "A scenario file (YAML): the line, the run, and what-if variants; see docs/simulation.md." };
        var replications = new Option<int?>("--replications") { Description = "Replications per scenario (overrides the file)." };
        var seed = new Option<ulong?>("--seed") { Description = "The experiment's seed (overrides the file)." };
        var json = ClientOptions.Json();
        var plot = new Option<FileInfo?>("--plot") { Description = "Also draw each scenario's throughput with its 95% interval, and the baseline's station utilization, to this PNG file." };
        var command = new Command("simulate", "Simulate a production line and its what-ifs; print KPIs with 95% confidence intervals and paired comparisons.") { file, replications, seed, json, plot };
        command.SetAction((parse, ct) =>
        {
            var input = parse.GetValue(file)!;
            if (!input.Exists)
            {
                Console.Error.WriteLine($"doppel: {input.FullName} does not exist.");
                return Task.FromResult(ExitCodes.Usage);
            }
            var parsed = LineScenarioFile.Parse(File.ReadAllText(input.FullName));
            if (!parsed.IsSuccess)
            {
                Console.Error.WriteLine($"doppel: {input.Name}: {parsed.Error.Message}");
                return Task.FromResult(ExitCodes.Usage);
            }
            var scenario = parsed.Value with
            {
                Replications = parse.GetValue(replications) ?? parsed.Value.Replications,
                Seed = parse.GetValue(seed) ?? parsed.Value.Seed,
            };
            var quiet = parse.GetValue(json) || Console.IsErrorRedirected;
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
                return Task.FromResult(ExitCodes.Ok);
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
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static string Interval(KpiSummary kpi) => string.Create(CultureInfo.InvariantCulture, $"{kpi.Mean:G5} ± {kpi.HalfWidth:G3}");

    private static string Difference(Comparison c) => string.Create(CultureInfo.InvariantCulture, $"{c.Difference:+0.#####;-0.#####} ± {c.HalfWidth:G3}");
}
