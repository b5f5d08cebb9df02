using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Doppel.Analytics.Anomaly;
using Doppel.Analytics.Nab;
using Doppel.Cli.Invocation;

namespace Doppel.Cli.Commands;

/// <summary>
/// doppel bench nab: the Numenta Anomaly Benchmark on the series at hand. First the published detectors' outputs scored
/// by Doppel's NAB scorer beside NAB's own reference scores (published and re-optimised thresholds, three profiles),
/// then Doppel's detectors, their thresholds optimised on the same series, placed among the re-optimised rows, with
/// their speed.
/// </summary>
internal static class BenchNabCommand
{
    /// <summary>The largest difference from NAB's reference scores that counts as reproduced.</summary>
    private const double Tolerance = 0.1;

    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "A NAB folder (data/, labels/, results/); default ../shared/data/nab when present." };
        var detectors = new Option<string?>("--detectors") { Description = $"Doppel detectors to score, comma-separated (default: all: {string.Join(", ", AnomalyDetectors.Names)})." };
        var files = new Option<bool>("--files") { Description = "Also print each Doppel detector's score per file (standard profile, at its optimised threshold)." };
        var command = new Command("nab", "Numenta Anomaly Benchmark: NAB's scores reproduced by Doppel's scorer, and Doppel's detectors scored beside them.") { data, detectors, files };
        command.SetAction((parse, ct) =>
        {
            var root = parse.GetValue(data) ?? DefaultData()
                ?? throw CommandFailure.Usage("No NAB data: pass --data DIR (a folder with data/, labels/ and results/ as in numenta/NAB).");
            var names = parse.GetValue(detectors)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [.. AnomalyDetectors.Names];
            foreach (var name in names)
            {
                var created = AnomalyDetectors.Create(name);
                if (!created.IsSuccess)
                {
                    throw CommandFailure.Usage(created.Error.Message);
                }
            }
            return Task.FromResult(Run(root, names, parse.GetValue(files), ct));
        });
        return command;
    }

    private static string? DefaultData()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "nab");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static int Run(string root, IReadOnlyList<string> detectorNames, bool perFile, CancellationToken ct)
    {
        var corpus = NabCorpus.Load(root);
        if (!corpus.IsSuccess)
        {
            throw CommandFailure.Usage(corpus.Error.Message);
        }
        var series = corpus.Value;
        Console.WriteLine($"NAB on {series.Count} series, {series.Sum(s => s.Windows.Count)} windows, {series.Sum(s => s.Timestamps.Count):N0} rows ({root})");
        var (reproduced, publishedScores) = ReproducePublished(root, series, ct);
        var split = NabSplit.Split(series);

        Console.WriteLine();
        Console.WriteLine("Doppel's detectors (thresholds optimised on these series, as column B) among the re-optimised published rows;");
        Console.WriteLine($"held-out: thresholds optimised on the tuning half ({split.Tuning.Count} series, {split.Tuning.Sum(s => s.Windows.Count)} windows), scored on the held-out half");
        Console.WriteLine($"({split.HeldOut.Count} series, {split.HeldOut.Sum(s => s.Windows.Count)} windows: the second, fourth, ... series of each category by name):");
        var rows = new List<(string Name, double[] Scores, double[] HeldOut, string Note)>();
        foreach (var reference in NabReference.Read(Path.Combine(root, "results", "reference_scores.csv"), "subset25")
            .Where(r => r.Variant == NabReference.SubsetOptimized).GroupBy(r => r.Detector))
        {
            var heldOut = publishedScores.TryGetValue(reference.Key, out var published) ? HeldOut(series, published) : [.. NabProfile.All.Select(_ => double.NaN)];
            rows.Add((reference.Key, [.. NabProfile.All.Select(p => reference.First(r => r.Profile == p.Name).NormalizedScore)], heldOut, "NAB reference, re-optimised"));
        }
        foreach (var name in detectorNames)
        {
            ct.ThrowIfCancellationRequested();
            var (scores, rate) = RunDetector(name, series);
            var optimised = NabProfile.All.Select(p => NabScorer.Optimize(series, scores, p)).ToArray();
            if (perFile)
            {
                Console.WriteLine($"  doppel {name}, standard profile, threshold {optimised[0].Threshold.ToString("G6", CultureInfo.InvariantCulture)}:");
                foreach (var (file, windows) in optimised[0].Files.Zip(series, (f, s) => (f, s.Windows.Count)))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {file.File,-58} {windows} windows  raw {file.RawScore,8:0.000}  tp {file.TruePositives,5}  fp {file.FalsePositives,5}  fn {file.FalseNegatives,5}"));
                }
            }
            var tuningHalf = NabSplit.ScoreHeldOut(series, scores, NabProfile.Standard).Tuning;
            rows.Add(($"doppel {name}", [.. optimised.Select(o => o.NormalizedScore)], HeldOut(series, scores),
                string.Create(CultureInfo.InvariantCulture, $"tuning half {tuningHalf.NormalizedScore:0.00} at {tuningHalf.Threshold:G4}; {rate / 1e6:0.00} M points/s; thresholds {string.Join(" / ", optimised.Select(o => o.Threshold.ToString("G4", CultureInfo.InvariantCulture)))}")));
        }
        Console.WriteLine($"  {"",-26} {"all series",-29}  {"held-out half",-29}");
        Console.WriteLine($"  {"detector",-26} {"standard",9} {"low FP",9} {"low FN",9}  {"standard",9} {"low FP",9} {"low FN",9}  note");
        foreach (var (name, scores, heldOut, note) in rows.OrderByDescending(r => r.Scores[0]))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-26} {scores[0],9:0.00} {scores[1],9:0.00} {scores[2],9:0.00}  {Cell(heldOut[0]),9} {Cell(heldOut[1]),9} {Cell(heldOut[2]),9}  {note}"));
        }
        return reproduced ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>The held-out half's normalised score under each profile, at the threshold optimised on the tuning half.</summary>
    private static double[] HeldOut(IReadOnlyList<NabSeries> series, IReadOnlyList<IReadOnlyList<double>> scores) =>
        [.. NabProfile.All.Select(p => NabSplit.ScoreHeldOut(series, scores, p).HeldOut.NormalizedScore)];

    /// <summary>
    /// Scores every published detector's outputs at NAB's thresholds and at the re-optimised ones, beside the reference;
    /// returns whether they are reproduced, and the outputs read.
    /// </summary>
    private static (bool Reproduced, Dictionary<string, IReadOnlyList<IReadOnlyList<double>>> Scores) ReproducePublished(string root, IReadOnlyList<NabSeries> series, CancellationToken ct)
    {
        var published = NabCorpus.ReadThresholds(Path.Combine(root, "results", "config", "thresholds.json"));
        var subset = NabCorpus.ReadThresholds(Path.Combine(root, "results", "config", "thresholds_subset25_optimized.json"));
        var reference = NabReference.Read(Path.Combine(root, "results", "reference_scores.csv"), "subset25");
        var detectors = NabCorpus.PublishedDetectors(root);
        if (!published.IsSuccess || !subset.IsSuccess || detectors.Count == 0)
        {
            Console.WriteLine("  no published results or thresholds under results/: only Doppel's detectors are scored");
            return (true, []);
        }
        Console.WriteLine("Published detectors scored by Doppel's NAB scorer (ours / NAB's reference; A = NAB's thresholds, B = re-optimised on these series; opt = Doppel's optimiser):");
        Console.WriteLine($"  {"detector",-18} {"A standard",15} {"A low FP",15} {"A low FN",15} {"B standard",15} {"B low FP",15} {"B low FN",15} {"opt standard",13}");
        var worst = 0.0;
        var read = new Dictionary<string, IReadOnlyList<IReadOnlyList<double>>>(StringComparer.Ordinal);
        foreach (var detector in detectors)
        {
            ct.ThrowIfCancellationRequested();
            var scores = NabCorpus.ReadResults(root, detector, series);
            if (!scores.IsSuccess)
            {
                Console.WriteLine($"  {detector,-18} skipped: {scores.Error.Message}");
                continue;
            }
            read[detector] = scores.Value;
            var cells = new List<string>();
            foreach (var (variant, thresholds) in new[] { (NabReference.Published, published.Value), (NabReference.SubsetOptimized, subset.Value) })
            {
                foreach (var profile in NabProfile.All)
                {
                    if (!thresholds.TryGetValue((detector, profile.Name), out var threshold))
                    {
                        cells.Add("-");
                        continue;
                    }
                    var ours = NabScorer.ScoreCorpus(series, scores.Value, threshold, profile).NormalizedScore;
                    var expected = reference.FirstOrDefault(r => r.Variant == variant && r.Detector == detector && r.Profile == profile.Name);
                    if (expected is not null)
                    {
                        worst = Math.Max(worst, Math.Abs(ours - expected.NormalizedScore));
                    }
                    cells.Add(expected is null ? Fixed(ours) : $"{Fixed(ours)} / {Fixed(expected.NormalizedScore)}");
                }
            }
            var optimised = NabScorer.Optimize(series, scores.Value, NabProfile.Standard).NormalizedScore;
            var optimisedReference = reference.FirstOrDefault(r => r.Variant == NabReference.SubsetOptimized && r.Detector == detector && r.Profile == NabProfile.Standard.Name);
            if (optimisedReference is not null)
            {
                worst = Math.Max(worst, Math.Abs(optimised - optimisedReference.NormalizedScore));
            }
            Console.WriteLine($"  {detector,-18} {string.Join(" ", cells.Select(c => $"{c,15}"))} {Fixed(optimised),13}");
        }
        var ok = worst <= Tolerance;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  largest difference from NAB's reference: {worst:0.000000} ({(ok ? "reproduced" : "NOT reproduced")}, tolerance {Tolerance})"));
        return (ok, read);
    }

    /// <summary>Runs a fresh detector over each series; the rate is points per second on one core.</summary>
    internal static (IReadOnlyList<IReadOnlyList<double>> Scores, double PointsPerSecond) RunDetector(string name, IReadOnlyList<NabSeries> series)
    {
        var all = new List<IReadOnlyList<double>>();
        var points = 0L;
        // One untimed pass over the first series, so that the rate leaves out compiling the detector.
        var warm = AnomalyDetectors.Create(name).Value!;
        for (var i = 0; i < series[0].Timestamps.Count; i++)
        {
            warm.Next(new DateTimeOffset(series[0].Timestamps[i], TimeSpan.Zero), series[0].Values[i]);
        }
        var watch = Stopwatch.StartNew();
        foreach (var s in series)
        {
            var detector = AnomalyDetectors.Create(name).Value!;
            var scores = new double[s.Timestamps.Count];
            for (var i = 0; i < scores.Length; i++)
            {
                scores[i] = detector.Next(new DateTimeOffset(s.Timestamps[i], TimeSpan.Zero), s.Values[i]).Score;
            }
            points += scores.Length;
            all.Add(scores);
        }
        return (all, points / watch.Elapsed.TotalSeconds);
    }

    /// <summary>A score, or "-" for a published detector whose outputs are not under results/.</summary>
    private static string Cell(double value) => double.IsNaN(value) ? "-" : Fixed(value);

    private static string Fixed(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
