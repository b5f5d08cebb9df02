using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Doppel.Analytics.Rul;
using Doppel.Cli.Invocation;

namespace Doppel.Cli.Commands;

/// <summary>
/// doppel bench rul: the C-MAPSS last-cycle protocol (train on train_FD00x, one prediction per test unit at its last
/// cycle, against RUL_FD00x, which is uncapped), RMSE and NASA score as mean ± sd over seeds, interval coverage,
/// training and inference time, beside published rows.
/// </summary>
internal static class BenchRulCommand
{
    private static readonly string[] Subsets = ["FD001", "FD002", "FD003", "FD004"];

    /// <summary>Published (RMSE, score) per subset: MTSTAN (best on FD001/FD003), FFVE (best on FD002/FD004), DCNN (Li et al. 2018; RMSE only here).</summary>
    private static readonly (string Model, Dictionary<string, (double Rmse, double Score)> Rows)[] Published =
    [
        ("MTSTAN", new() { ["FD001"] = (10.97, 175.4), ["FD003"] = (10.90, 188.2) }),
        ("FFVE", new() { ["FD002"] = (12.55, 772), ["FD004"] = (14.08, 1149) }),
        ("DCNN (Li et al. 2018)", new() { ["FD001"] = (12.61, double.NaN), ["FD002"] = (22.36, double.NaN), ["FD003"] = (12.64, double.NaN), ["FD004"] = (23.31, double.NaN) }),
    ];

    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Folder with train_FD00x.txt, test_FD00x.txt, RUL_FD00x.txt (default: ../shared/data/cmapss when present)." };
        var subsets = new Option<string>("--subsets") { Description = "Comma-separated subsets.", DefaultValueFactory = _ => string.Join(',', Subsets) };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per subset (1, 2, ...); figures are mean ± sd over them.", DefaultValueFactory = _ => 5 };
        var kind = new Option<string>("--kind") { Description = "ensemble (also shows its trees and sequence model alone), gbt or sequence.", DefaultValueFactory = _ => "ensemble" };
        var epochs = new Option<int>("--max-epochs") { Description = "Upper bound on the sequence model's epochs.", DefaultValueFactory = _ => new RulTrainingOptions().MaxEpochs };
        var verbose = new Option<bool>("--verbose") { Description = "Print training progress." };
        var command = new Command("rul", "Remaining useful life on NASA C-MAPSS FD001-FD004 (last-cycle protocol), beside published results.") { data, subsets, seeds, kind, epochs, verbose };
        command.SetAction((parse, ct) =>
        {
            var folder = parse.GetValue(data) ?? DefaultData()
                ?? throw CommandFailure.Usage("no C-MAPSS data: pass --data DIR (a folder with train_FD001.txt, test_FD001.txt, RUL_FD001.txt, ...)");
            var chosen = parse.GetValue(subsets)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToUpperInvariant()).ToArray();
            if (chosen.Length == 0 || chosen.FirstOrDefault(s => !Subsets.Contains(s)) is { } unknown && unknown is not null)
            {
                throw CommandFailure.Usage($"--subsets takes {string.Join(", ", Subsets)}");
            }
            var seedCount = parse.GetValue(seeds);
            var modelKind = parse.GetValue(kind)!;
            if (seedCount < 1 || parse.GetValue(epochs) < 1)
            {
                throw CommandFailure.Usage("--seeds and --max-epochs must be positive.");
            }
            if (!RulTrainingOptions.Kinds.Contains(modelKind))
            {
                throw CommandFailure.Usage($"--kind takes {string.Join(", ", RulTrainingOptions.Kinds)}");
            }
            Run(folder, chosen, seedCount, modelKind, parse.GetValue(epochs), parse.GetValue(verbose), ct);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static string? DefaultData() =>
        new[] { "../shared/data/cmapss", "../../shared/data/cmapss" }.Select(Path.GetFullPath).FirstOrDefault(d => File.Exists(Path.Combine(d, "train_FD001.txt")));

    private sealed record Run1(RulMetrics Metrics, double TrainSeconds, double InferenceMs);

    private static void Run(string folder, string[] subsets, int seeds, string kind, int maxEpochs, bool verbose, CancellationToken ct)
    {
        var components = kind == "ensemble" ? new[] { "gbt", "sequence", "ensemble" } : [kind];
        Console.WriteLine($"C-MAPSS last-cycle protocol: target capped at 125 for training; truth RUL_FD00x.txt is UNCAPPED; {seeds} seed(s); {Environment.ProcessorCount} cores; data {folder}");
        Console.WriteLine("Hyper-parameters, ensemble weight and interval calibration are chosen on 20% of the training units held out (never on the test set).");
        Console.WriteLine($"  {"subset",-6} {"model",-22} {"RMSE",-14} {"NASA score",-18} {"90% cover",9} {"train s",8} {"infer ms",9} {"units",6}");
        foreach (var subset in subsets)
        {
            var train = Read(CmapssData.ReadFile(Path.Combine(folder, $"train_{subset}.txt")));
            var test = Read(CmapssData.ReadFile(Path.Combine(folder, $"test_{subset}.txt")));
            var truth = CmapssData.ReadTruthFile(Path.Combine(folder, $"RUL_{subset}.txt"));
            if (!truth.IsSuccess)
            {
                throw CommandFailure.Failed(truth.Error.Message);
            }
            if (truth.Value.Count != test.Count)
            {
                throw CommandFailure.Failed($"RUL_{subset}.txt has {truth.Value.Count} rows for {test.Count} test units");
            }
            var runs = components.ToDictionary(c => c, _ => new List<Run1>());
            for (var seed = 1; seed <= seeds; seed++)
            {
                ct.ThrowIfCancellationRequested();
                var options = new RulTrainingOptions { Kind = kind, Seed = seed, Settings = CmapssData.Settings, MaxEpochs = maxEpochs };
                var progress = verbose ? new Progress(subset, seed) : null;
                var clock = Stopwatch.StartNew();
                var predictor = RulTrainer.Train(train, options, progress, ct);
                var trainSeconds = clock.Elapsed.TotalSeconds;
                foreach (var component in components)
                {
                    var model = predictor.Component(component)!;
                    var inputs = test.Select(model.Inputs).ToArray();
                    var estimates = new RulEstimate[inputs.Length];
                    // Inference time: the best of a few passes over every test unit (the first warms the code up).
                    var best = double.MaxValue;
                    for (var pass = 0; pass < 5; pass++)
                    {
                        clock.Restart();
                        for (var i = 0; i < inputs.Length; i++)
                        {
                            estimates[i] = model.Predict(inputs[i]);
                        }
                        best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
                    }
                    runs[component].Add(new Run1(RulEvaluation.Score(estimates, truth.Value), trainSeconds, best));
                }
            }
            foreach (var component in components)
            {
                var r = runs[component];
                var coverage = component == kind ? $"{r.Average(x => x.Metrics.Coverage),9:P1}" : $"{"-",9}";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {subset,-6} {"Doppel " + component,-22} {Stat(r.Select(x => x.Metrics.Rmse), "F2"),-14} {Stat(r.Select(x => x.Metrics.Score), "F1"),-18} {coverage} {r.Average(x => x.TrainSeconds),8:F1} {r.Average(x => x.InferenceMs),9:F2} {test.Count,6}"));
            }
            foreach (var (model, rows) in Published)
            {
                if (rows.TryGetValue(subset, out var row))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {subset,-6} {"published " + model,-22} {row.Rmse,-14:F2} {(double.IsNaN(row.Score) ? "-" : row.Score.ToString("F1", CultureInfo.InvariantCulture)),-18} {"",9} {"",8} {"",9}"));
                }
            }
        }
        Console.WriteLine("RMSE and score: mean ± sd over seeds; score = Σ e^(−d/13)−1 (d<0) or e^(d/10)−1 (d≥0), d = predicted − true. Train s includes validation and refit; infer ms: every test unit of the subset, one thread.");
    }

    private static IReadOnlyList<Trajectory> Read(Result<IReadOnlyList<Trajectory>> result) =>
        result.IsSuccess ? result.Value : throw CommandFailure.Failed(result.Error.Message);

    private static string Stat(IEnumerable<double> values, string format)
    {
        var list = values.ToList();
        var mean = list.Average();
        var sd = list.Count > 1 ? Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1)) : 0;
        return string.Create(CultureInfo.InvariantCulture, $"{mean.ToString(format, CultureInfo.InvariantCulture)} ± {sd.ToString(format, CultureInfo.InvariantCulture)}");
    }

    private sealed class Progress(string subset, int seed) : IProgress<string>
    {
        public void Report(string value) => Console.WriteLine($"    [{subset} seed {seed}] {value}");
    }
}
