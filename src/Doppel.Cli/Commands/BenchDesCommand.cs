using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Doppel.Cli.Invocation;
using Doppel.Simulation.Samples;

namespace Doppel.Cli.Commands;

/// <summary>
/// doppel bench des: events per second of the discrete-event engine on M/M/1 and the machine shop, beside SimPy running
/// the same two models in the same run (when a Python with SimPy is installed), and the speed-up of replications over
/// the cores.
/// </summary>
internal static class BenchDesCommand
{
    public static Command Create()
    {
        var customers = new Option<int>("--customers") { Description = "Customers of the M/M/1 run.", DefaultValueFactory = _ => 1_000_000 };
        var runs = new Option<int>("--runs") { Description = "Runs of each workload; medians are reported.", DefaultValueFactory = _ => 3 };
        var pythonPath = new Option<string>("--python") { Description = "The Python that has SimPy (Debian: apt-get install python3-simpy, SimPy 2).", DefaultValueFactory = _ => "/usr/bin/python3" };
        var command = new Command("des", "Discrete-event engine speed: M/M/1 and the machine shop, SimPy on the same models, replications over the cores.") { customers, runs, pythonPath };
        command.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(customers);
            var repeat = parse.GetValue(runs);
            if (n < 1 || repeat < 1)
            {
                throw CommandFailure.Usage("--customers and --runs must be positive.");
            }
            Console.WriteLine($"{Environment.ProcessorCount} cores; {repeat} runs each, medians.");
            Console.WriteLine("  workload                                        events/s    customers/s   wall s");

            var mm1 = Median(repeat, () => Measure(sim => new QueueModel(sim, 1, r => r.Exponential(1 / 0.9), r => r.Exponential(1), n).Run()));
            Console.WriteLine($"  Doppel M/M/1, {n:N0} customers             {mm1.EventsPerSecond,12:N0} {n / mm1.Seconds,14:N0} {mm1.Seconds,8:F2}");
            const double year = 365 * 24 * 60;
            MachineShop? lastShop = null;
            var shop = Median(repeat, () => Measure(sim => lastShop = new MachineShop(sim, new MachineShopOptions { Duration = year }).Run()));
            Console.WriteLine($"  Doppel machine shop, 1 year                 {shop.EventsPerSecond,12:N0} {"",14} {shop.Seconds,8:F2}");

            var python = parse.GetValue(pythonPath)!;
            var version = await SimPyVersionAsync(python, ct);
            if (version is null)
            {
                Console.WriteLine($"  peer: SimPy not found for {python} (apt-get install python3-simpy); no ratio");
            }
            else
            {
                // Prints: customers, seconds (simulation only, excluding Python's start), final time.
                var peerMm1 = await SimPyAsync(python, "mm1.py", n.ToString(CultureInfo.InvariantCulture), repeat, seconds: 1, ct);
                Console.WriteLine($"  peer: SimPy {version} M/M/1, {n:N0} customers  {"",12} {n / peerMm1.Seconds,14:N0} {peerMm1.Seconds,8:F2}");
                // Prints: parts, repairs, other jobs, seconds.
                var peerShop = await SimPyAsync(python, "machineshop.py", year.ToString(CultureInfo.InvariantCulture), repeat, seconds: 3, ct);
                Console.WriteLine($"  peer: SimPy {version} machine shop, 1 year       {"",12} {"",14} {peerShop.Seconds,8:F2}");
                Console.WriteLine($"  Doppel = {peerMm1.Seconds / mm1.Seconds:F1}x SimPy on M/M/1 and {peerShop.Seconds / shop.Seconds:F1}x on the machine shop (wall time, same model, same run)");
                // The two engines must be simulating the same shop: their counts agree to within sampling noise.
                var parts = lastShop!.PartsMade.Sum();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  same model? parts {parts:N0} vs SimPy {peerShop.Output[0]:N0}, repairs {lastShop.Repairs:N0} vs {peerShop.Output[1]:N0}, other jobs {lastShop.OtherJobsDone:N0} vs {peerShop.Output[2]:N0}"));
            }

            // Replications: the same 8 M/M/1 runs on one core, then on all, results checked identical.
            var seeds = Enumerable.Range(0, 8).Select(i => (ulong)(1000 + i)).ToArray();
            double[] Replicate(int cores)
            {
                var results = new double[seeds.Length];
                Parallel.For(0, seeds.Length, new ParallelOptions { MaxDegreeOfParallelism = cores, CancellationToken = ct }, i =>
                    results[i] = new QueueModel(new Simulation.Simulation(seeds[i]), 1, r => r.Exponential(1 / 0.9), r => r.Exponential(1), n / 4).Run().Sojourn.Mean);
                return results;
            }
            var single = Median(repeat, () => Time(() => Replicate(1)));
            var all = Median(repeat, () => Time(() => Replicate(Environment.ProcessorCount)));
            var same = Replicate(1).SequenceEqual(Replicate(Environment.ProcessorCount));
            Console.WriteLine($"  8 replications: {single.Seconds:F2} s on 1 core, {all.Seconds:F2} s on {Environment.ProcessorCount}: speed-up {single.Seconds / all.Seconds:F2}x; results identical: {same}");
            return same ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private readonly record struct Result(double Seconds, long Events)
    {
        public double EventsPerSecond => Events / Seconds;
    }

    private static Result Measure(Action<Simulation.Simulation> model)
    {
        var sim = new Simulation.Simulation(seed: 1);
        var watch = Stopwatch.StartNew();
        model(sim);
        return new Result(watch.Elapsed.TotalSeconds, sim.ProcessedEvents);
    }

    private static Result Time(Action work)
    {
        var watch = Stopwatch.StartNew();
        work();
        return new Result(watch.Elapsed.TotalSeconds, 0);
    }

    private static Result Median(int runs, Func<Result> run)
    {
        run(); // warm-up: JIT and tiering
        var results = Enumerable.Range(0, runs).Select(_ => run()).OrderBy(r => r.Seconds).ToList();
        return results[results.Count / 2];
    }

    private static async Task<string?> SimPyVersionAsync(string python, CancellationToken ct)
    {
        if (!File.Exists(python))
        {
            return null;
        }
        var version = (await RunAsync(python, ["-c", "import SimPy; print(SimPy.__version__)"], ct)).Trim();
        return version.Length == 0 ? null : version;
    }

    /// <summary>Runs one of the bundled SimPy models <paramref name="runs"/> times; the median run by the seconds it prints in field <paramref name="seconds"/>.</summary>
    private static async Task<(double Seconds, double[] Output)> SimPyAsync(string python, string model, string argument, int runs, int seconds, CancellationToken ct)
    {
        var script = Path.Combine(Path.GetTempPath(), $"doppel-{Environment.ProcessId}-{model}");
        await using (var resource = typeof(BenchDesCommand).Assembly.GetManifestResourceStream($"SimPy.{model}")!)
        await using (var file = File.Create(script))
        {
            await resource.CopyToAsync(file, ct);
        }
        try
        {
            var results = new List<double[]>();
            for (var i = 0; i < runs; i++)
            {
                var output = await RunAsync(python, [script, argument], ct);
                if (output.Length == 0)
                {
                    throw new InvalidOperationException($"SimPy's {model} failed under {python}.");
                }
                results.Add([.. output.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => double.Parse(f, CultureInfo.InvariantCulture))]);
            }
            var median = results.OrderBy(r => r[seconds]).ElementAt(results.Count / 2);
            return (median[seconds], median);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<string> RunAsync(string program, string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return process.ExitCode == 0 ? output : "";
    }
}
