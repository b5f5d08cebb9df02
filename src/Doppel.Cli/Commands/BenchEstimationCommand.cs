using System.CommandLine;
using System.Globalization;
using Doppel.Cli.Invocation;
using Doppel.Estimation;

namespace Doppel.Cli.Commands;

/// <summary>
/// doppel bench estimation: DAPPER's twin experiments (Lorenz-96 sakov2008, Lorenz-63 sakov2012) with the filters of
/// Doppel.Estimation at DAPPER's settings, the analysis rmse (mean ± sd over seeds) beside DAPPER's published figure,
/// and the median time of one assimilation cycle (forecast + analysis).
/// </summary>
internal static class BenchEstimationCommand
{
    private const double Tolerance = 0.02;

    public static Command Create()
    {
        var seeds = new Option<int>("--seeds") { Description = "Seeds per experiment (1, 2, ...); rmse is mean ± sd over them.", DefaultValueFactory = _ => 5 };
        var lorenz96 = new Option<int>("--l96-observations") { Description = "Observations per Lorenz-96 run (DAPPER's file: 1,000; its figures hold for long runs).", DefaultValueFactory = _ => 10_000 };
        // DAPPER's length: over 10,000 cycles the bootstrap particle filter on this deterministic model loses track for
        // good in some seeds (as any bootstrap PF without model noise can), which DAPPER's 1,000-cycle runs rarely meet.
        var lorenz63 = new Option<int>("--l63-observations") { Description = "Observations per Lorenz-63 run (DAPPER's file: 1,000).", DefaultValueFactory = _ => 1_000 };
        var only = new Option<string?>("--only") { Description = "Run only the experiments whose name starts with this (e.g. ETKF, 3D-Var, PF)." };
        var command = new Command("estimation", "DAPPER's twin experiments (Lorenz-96, Lorenz-63): analysis rmse beside DAPPER's published figures, and the cycle time.") { seeds, lorenz96, lorenz63, only };
        command.SetAction((parse, ct) =>
        {
            var seedCount = parse.GetValue(seeds);
            var l96 = parse.GetValue(lorenz96);
            var l63 = parse.GetValue(lorenz63);
            if (seedCount < 1 || l96 < 1 || l63 < 1)
            {
                throw CommandFailure.Usage("--seeds, --l96-observations and --l63-observations must be positive.");
            }
            var benchmarks = DapperBenchmark.All(l96, l63).Where(b => parse.GetValue(only) is not { } prefix || b.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
            if (benchmarks.Count == 0)
            {
                throw CommandFailure.Usage($"--only matches none of: {string.Join(", ", DapperBenchmark.All().Select(b => b.Name))}");
            }
            Run(benchmarks, seedCount, ct);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static void Run(List<DapperBenchmark> benchmarks, int seeds, CancellationToken ct)
    {
        Console.WriteLine($"DAPPER twin experiments; analysis rmse averaged over the cycles after burn-in, mean ± sd over {seeds} seed(s); cycle = forecast + analysis, median.");
        Console.WriteLine($"  {"model",-22} {"method",-34} {"obs",6} {"DAPPER",7} {"Doppel rmse",-16} {"diff",6} {"±0.02",5} {"cycle ms",9}");
        foreach (var benchmark in benchmarks)
        {
            var rmse = new List<double>();
            var cycles = new List<double>();
            for (var seed = 1UL; seed <= (ulong)seeds; seed++)
            {
                ct.ThrowIfCancellationRequested();
                var result = benchmark.Run(seed, ct);
                rmse.Add(result.AnalysisRmse);
                cycles.Add(result.MedianCycleMilliseconds);
            }
            var mean = rmse.Average();
            var sd = rmse.Count > 1 ? Math.Sqrt(rmse.Sum(r => (r - mean) * (r - mean)) / (rmse.Count - 1)) : 0;
            cycles.Sort();
            var diff = Math.Round(mean - benchmark.PublishedRmse, 3);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {benchmark.Experiment.Name,-22} {benchmark.Name,-34} {benchmark.Experiment.Observations,6} {benchmark.PublishedRmse,7:F2} {mean,7:F3} ± {sd,-6:F3} {diff,6:+0.000;-0.000;0.000} {(Math.Abs(diff) <= Tolerance ? "yes" : "no"),5} {cycles[cycles.Count / 2],9:F3}"));
        }
        Console.WriteLine("  sources: nansencenter/DAPPER dapper/mods/Lorenz96/sakov2008.py and dapper/mods/Lorenz63/sakov2012.py (\"Suggested tuning\").");
    }
}
