using System.Globalization;

namespace Doppel.Analytics.Nab;

/// <summary>A row of NAB's reference scores for a detector and profile: the threshold and the scores NAB's Python scorer gave.</summary>
public sealed record NabReferenceScore(string Variant, string Detector, string Profile, double Threshold, double RawScore, double NormalizedScore);

/// <summary>
/// Reads <c>results/reference_scores.csv</c> (scope, thresholds, detector, profile, threshold, raw_score, tp_rows,
/// fp_rows, fn_rows, tn_rows, normalized_score, ...), the numbers a C# scorer must reproduce.
/// </summary>
public static class NabReference
{
    /// <summary>The published-threshold variant (NAB's thresholds.json).</summary>
    public const string Published = "published";

    /// <summary>The variant with thresholds re-optimised on the scored subset.</summary>
    public const string SubsetOptimized = "subset_optimized";

    /// <summary>The rows of one scope (e.g. <c>subset25</c>); an empty list when the file is absent.</summary>
    public static IReadOnlyList<NabReferenceScore> Read(string path, string scope)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        var rows = new List<NabReferenceScore>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split(',');
            if (f.Length >= 11 && f[0] == scope)
            {
                rows.Add(new NabReferenceScore(f[1], f[2], f[3], Parse(f[4]), Parse(f[5]), Parse(f[10])));
            }
        }
        return rows;
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
