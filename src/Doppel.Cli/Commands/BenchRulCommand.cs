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

    private const int Cap = 125;

    /// <summary>Published (RMSE, score) per subset: MTSTAN (best on FD001/FD003), FFVE (best on FD002/FD004), DCNN (Li et al. 2018; RMSE only here).</summary>
    private static readonly (string Model, Dictionary<string, (double Rmse, double Score)> Rows)[] Published =
    [
        ("MTSTAN", new() { ["FD001"] = (10.97, 175.4), ["FD003"] = (10.90, 188.2) }),
        ("FFVE", new() { ["FD002"] = (12.55, 772), ["FD004"] = (14.08, 1149) }),
        ("DCNN (Li et al. 2018)", new() { ["FD001"] = (12.61, double.NaN), ["FD002"] = (22.36, double.NaN), ["FD003"] = (12.64, double.NaN), ["FD004"] = (23.31, double.NaN) }),
    ];

    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Folder with train_FD00x.txt, test_FD00x.txt, RUL_FD00x.txt, or their .gz (default: ../shared/data/cmapss when present)." };
        var subsets = new Option<string>("--subsets") { Description = "Comma-separated subsets.", DefaultValueFactory = _ => string.Join(',', Subsets) };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per subset (1, 2, ...); figures are mean ± sd over them.", DefaultValueFactory = _ => 5 };
        var kind = new Option<string>("--kind") { Description = "ensemble (also shows its trees and sequence model alone), gbt or sequence.", DefaultValueFactory = _ => "ensemble" };
        var epochs = new Option<int>("--max-epochs") { Description = "Upper bound on the sequence model's epochs.", DefaultValueFactory = _ => new RulTrainingOptions().MaxEpochs };
        var window = new Option<int>("--window") { Description = "Rows each prediction reads.", DefaultValueFactory = _ => new RulTrainingOptions().Window };
        var verbose = new Option<bool>("--verbose") { Description = "Print training progress." };
        var details = new Option<string?>("--details") { Description = "Write every test unit's prediction and interval to this CSV file." };
        var command = new Command("rul", "Remaining useful life on NASA C-MAPSS FD001-FD004 (last-cycle protocol), beside published results.") { data, subsets, seeds, kind, epochs, window, verbose, details };
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
            if (seedCount < 1 || parse.GetValue(epochs) < 1 || parse.GetValue(window) < 1)
            {
                throw CommandFailure.Usage("--seeds, --max-epochs and --window must be positive.");
            }
            if (!RulTrainingOptions.Kinds.Contains(modelKind))
            {
                throw CommandFailure.Usage($"--kind takes {string.Join(", ", RulTrainingOptions.Kinds)}");
            }
            using var csv = parse.GetValue(details) is { } path ? new StreamWriter(path) : null;
            csv?.WriteLine("subset,seed,model,unit,truth,rul,lower,upper");
            Run(folder, chosen, seedCount, modelKind, parse.GetValue(epochs), parse.GetValue(window), parse.GetValue(verbose), csv, ct);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static string? DefaultData() =>
        new[] { "../shared/data/cmapss", "../../shared/data/cmapss" }.Select(Path.GetFullPath).FirstOrDefault(d => File.Exists(Path.Combine(d, "train_FD001.txt")) || File.Exists(Path.Combine(d, "train_FD001.txt.gz")));

    private sealed record Run1(RulMetrics Metrics, RulMetrics Capped, double TrainSeconds, double InferenceMs);

    private static void Run(string folder, string[] subsets, int seeds, string kind, int maxEpochs, int window, bool verbose, StreamWriter? csv, CancellationToken ct)
    {
        var components = kind == "ensemble" ? new[] { "gbt", "sequence", "ensemble" } : [kind];
        Console.WriteLine($"C-MAPSS last-cycle protocol: target capped at 125 for training; truth RUL_FD00x.txt is UNCAPPED; {seeds} seed(s); {Environment.ProcessorCount} cores; data {folder}");
        Console.WriteLine("Hyper-parameters, ensemble weight and interval calibration are chosen on 20% of the training units held out (never on the test set).");
        Console.WriteLine($"  {"subset",-6} {"model",-24} {"RMSE",-14} {"NASA score",-18} {"90% cover",9} {"train s",8} {"infer ms",9} {"units",6} {"RMSE*",-14} {"score*",-14}");
        foreach (var subset in subsets)
        {
            var train = Read(CmapssData.ReadFile(Find(folder, $"train_{subset}.txt")));
            var test = Read(CmapssData.ReadFile(Find(folder, $"test_{subset}.txt")));
            var truth = CmapssData.ReadTruthFile(Find(folder, $"RUL_{subset}.txt"));
            if (!truth.IsSuccess)
            {
                throw CommandFailure.Failed(truth.Error.Message);
            }
            if (truth.Value.Count != test.Count)
            {
                throw CommandFailure.Failed($"RUL_{subset}.txt has {truth.Value.Count} rows for {test.Count} test units");
            }
            var cappedTruth = truth.Value.Select(t => Math.Min(t, Cap)).ToArray();
            var runs = components.ToDictionary(c => c, _ => new List<Run1>());
            for (var seed = 1; seed <= seeds; seed++)
            {
                ct.ThrowIfCancellationRequested();
                var options = new RulTrainingOptions { Kind = kind, Seed = seed, Cap = Cap, Settings = CmapssData.Settings, MaxEpochs = maxEpochs, Window = window };
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
                    for (var i = 0; i < inputs.Length; i++)
                    {
                        csv?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{subset},{seed},{component},{test[i].Unit},{truth.Value[i]},{estimates[i].Rul:F2},{estimates[i].Lower:F2},{estimates[i].Upper:F2}"));
                    }
                    runs[component].Add(new Run1(RulEvaluation.Score(estimates, truth.Value), RulEvaluation.Score(estimates, cappedTruth), trainSeconds, best));
                }
            }
            foreach (var component in components)
            {
                var r = runs[component];
                var coverage = component == kind ? $"{r.Average(x => x.Metrics.Coverage),9:P1}" : $"{"-",9}";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {subset,-6} {"Doppel " + component,-24} {Stat(r.Select(x => x.Metrics.Rmse), "F2"),-14} {Stat(r.Select(x => x.Metrics.Score), "F1"),-18} {coverage} {r.Average(x => x.TrainSeconds),8:F1} {r.Average(x => x.InferenceMs),9:F2} {test.Count,6} {Stat(r.Select(x => x.Capped.Rmse), "F2"),-14} {Stat(r.Select(x => x.Capped.Score), "F1"),-14}"));
            }
            foreach (var (model, rows) in Published)
            {
                if (rows.TryGetValue(subset, out var row))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {subset,-6} {"published " + model,-24} {row.Rmse,-14:F2} {(double.IsNaN(row.Score) ? "-" : row.Score.ToString("F1", CultureInfo.InvariantCulture)),-18} {"",9} {"",8} {"",9}"));
                }
            }
        }
        Console.WriteLine("RMSE and score: mean ± sd over seeds, against the UNCAPPED truth; score = Σ e^(−d/13)−1 (d<0) or e^(d/10)−1 (d≥0), d = predicted − true.");
        Console.WriteLine($"RMSE* and score*: the same predictions against the truth capped at {Cap}, as many papers evaluate (a model of the capped target cannot follow truths above {Cap}: on FD002 and FD004 that alone puts an uncapped RMSE floor of about 18 and 20).");
        Console.WriteLine("Train s: training with validation and refit, one seed; infer ms: every test unit of the subset, one thread, best of 5 passes; 90% cover: share of true (uncapped) RULs inside the intervals.");
    }

    /// <summary>The file, or its gzipped copy when only that is there.</summary>
    private static string Find(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        return File.Exists(path) || !File.Exists(path + ".gz") ? path : path + ".gz";
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
        private readonly Stopwatch clock = Stopwatch.StartNew();

        public void Report(string value) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    [{subset} seed {seed} {clock.Elapsed.TotalSeconds,6:F1}s] {value}"));
    }
}
