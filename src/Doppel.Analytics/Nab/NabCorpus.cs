using System.Text.Json;
using Doppel.Analytics.Anomaly;

namespace Doppel.Analytics.Nab;

/// <summary>
/// NAB's data as its repository lays it out: <c>data/{category}/{file}.csv</c>, the windows in
/// <c>labels/combined_windows.json</c> (keyed by path relative to <c>data/</c>), and published detector outputs in
/// <c>results/{detector}/{category}/{detector}_{file}.csv[.gz]</c>.
/// </summary>
public static class NabCorpus
{
    /// <summary>Every series under <c>{root}/data</c> that the labels file names, sorted by name.</summary>
    public static Result<IReadOnlyList<NabSeries>> Load(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var labelsPath = Path.Combine(root, "labels", "combined_windows.json");
        var dataRoot = Path.Combine(root, "data");
        if (!File.Exists(labelsPath) || !Directory.Exists(dataRoot))
        {
            return Result<IReadOnlyList<NabSeries>>.Fail("NotFound", $"{root} is not a NAB folder: it needs data/ and labels/combined_windows.json.");
        }
        Dictionary<string, List<List<string>>>? labels;
        try
        {
            labels = JsonSerializer.Deserialize<Dictionary<string, List<List<string>>>>(File.ReadAllText(labelsPath));
        }
        catch (JsonException e)
        {
            return Result<IReadOnlyList<NabSeries>>.Fail("InvalidLabels", $"{labelsPath}: {e.Message}");
        }
        var corpus = new List<NabSeries>();
        foreach (var (name, windows) in (labels ?? []).OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(dataRoot, name);
            if (!File.Exists(path))
            {
                continue;   // the labels cover all 58 series; a subset holds fewer
            }
            var series = TimeSeries.ReadFile(path);
            if (!series.IsSuccess)
            {
                return series.Error;
            }
            var limits = new List<NabWindow>();
            foreach (var window in windows)
            {
                if (window.Count != 2 || !TimeSeries.TryParseTime(window[0], out var start) || !TimeSeries.TryParseTime(window[1], out var end))
                {
                    return Result<IReadOnlyList<NabSeries>>.Fail("InvalidLabels", $"{labelsPath}: a window of '{name}' is not a pair of timestamps.");
                }
                if (!series.Value.Timestamps.Contains(start) || !series.Value.Timestamps.Contains(end))
                {
                    return Result<IReadOnlyList<NabSeries>>.Fail("InvalidLabels", $"{labelsPath}: the window [{window[0]}, {window[1]}] of '{name}' does not start and end on rows of the file.");
                }
                limits.Add(new NabWindow(start, end));
            }
            corpus.Add(new NabSeries(name, series.Value.Timestamps, series.Value.Values, limits));
        }
        if (corpus.Count == 0)
        {
            return Result<IReadOnlyList<NabSeries>>.Fail("NotFound", $"{dataRoot} holds none of the series that {labelsPath} labels.");
        }
        return Result<IReadOnlyList<NabSeries>>.Ok(corpus);
    }

    /// <summary>The detectors with a folder under <c>{root}/results</c>.</summary>
    public static IReadOnlyList<string> PublishedDetectors(string root)
    {
        var results = Path.Combine(root, "results");
        return Directory.Exists(results)
            ? [.. Directory.GetDirectories(results).Select(Path.GetFileName).OfType<string>()
                .Where(d => Directory.EnumerateFiles(Path.Combine(results, d), "*.csv*", SearchOption.AllDirectories).Any()).Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>A detector's published anomaly scores for each series, in the corpus order; an error names a missing or short file.</summary>
    public static Result<IReadOnlyList<IReadOnlyList<double>>> ReadResults(string root, string detector, IReadOnlyList<NabSeries> corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var scores = new List<IReadOnlyList<double>>();
        foreach (var series in corpus)
        {
            var folder = Path.GetDirectoryName(series.Name) ?? "";
            var file = $"{detector}_{Path.GetFileName(series.Name)}";
            var path = Path.Combine(root, "results", detector, folder, file);
            if (!File.Exists(path))
            {
                path += ".gz";
            }
            var read = TimeSeries.ReadFile(path, "anomaly_score");
            if (!read.IsSuccess)
            {
                return read.Error;
            }
            if (read.Value.Count != series.Timestamps.Count)
            {
                return Result<IReadOnlyList<IReadOnlyList<double>>>.Fail("InvalidResults", $"{path}: {read.Value.Count} rows where {series.Name} has {series.Timestamps.Count}.");
            }
            scores.Add(read.Value.Values);
        }
        return Result<IReadOnlyList<IReadOnlyList<double>>>.Ok(scores);
    }

    /// <summary>Per-detector, per-profile thresholds in NAB's <c>config/thresholds.json</c> format.</summary>
    public static Result<IReadOnlyDictionary<(string Detector, string Profile), double>> ReadThresholds(string path)
    {
        if (!File.Exists(path))
        {
            return Result<IReadOnlyDictionary<(string, string), double>>.Fail("NotFound", $"{path}: no such file.");
        }
        var thresholds = new Dictionary<(string, string), double>();
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            foreach (var detector in document.RootElement.EnumerateObject())
            {
                foreach (var profile in detector.Value.EnumerateObject())
                {
                    if (profile.Value.TryGetProperty("threshold", out var threshold) && threshold.ValueKind == JsonValueKind.Number)
                    {
                        thresholds[(detector.Name, profile.Name)] = threshold.GetDouble();
                    }
                }
            }
        }
        catch (JsonException e)
        {
            return Result<IReadOnlyDictionary<(string, string), double>>.Fail("InvalidThresholds", $"{path}: {e.Message}");
        }
        return Result<IReadOnlyDictionary<(string, string), double>>.Ok(thresholds);
    }
}
