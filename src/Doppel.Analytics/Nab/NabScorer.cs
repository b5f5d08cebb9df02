using Doppel.Analytics.Nab.Internal;

namespace Doppel.Analytics.Nab;

/// <summary>A detector's score on one file at one threshold: NAB's raw score and its row counts.</summary>
public sealed record NabFileScore(string File, double Threshold, double RawScore, int TruePositives, int TrueNegatives, int FalsePositives, int FalseNegatives)
{
    /// <summary>Rows outside the probationary period.</summary>
    public int ScoredRows => TruePositives + TrueNegatives + FalsePositives + FalseNegatives;
}

/// <summary>A detector's score on a corpus at one threshold: raw, normalised between the null and the perfect detector, and per file.</summary>
public sealed record NabCorpusScore(NabProfile Profile, double Threshold, double RawScore, double NormalizedScore, IReadOnlyList<NabFileScore> Files)
{
    public int TruePositives => Files.Sum(f => f.TruePositives);

    public int FalsePositives => Files.Sum(f => f.FalsePositives);

    public int FalseNegatives => Files.Sum(f => f.FalseNegatives);

    public int TrueNegatives => Files.Sum(f => f.TrueNegatives);
}

/// <summary>
/// NAB's scoring (numenta/NAB <c>nab/sweeper.py</c>, <c>scorer.py</c>, <c>optimizer.py</c>, <c>runner.py</c> at commit
/// ea702d7): alarms are rows whose anomaly score is at least the threshold; an alarm in a window earns a scaled
/// sigmoid of how early it came (only the best alarm of a window counts), an alarm outside windows costs more the
/// further it is from the window before it, a missed window costs the false-negative weight. The corpus score is
/// normalised so that the detector that never alarms scores 0 and the perfect one 100.
/// </summary>
public static class NabScorer
{
    /// <summary>The threshold NAB starts its sweep with: no row alarms.</summary>
    public const double NoAlarms = 1.1;

    /// <summary>Scores one file: <paramref name="scores"/> holds one anomaly score per row of <paramref name="series"/>, in file order.</summary>
    public static NabFileScore ScoreFile(NabSeries series, IReadOnlyList<double> scores, double threshold, NabProfile profile)
    {
        var rows = SweepRows.Of(series, scores, profile);
        return rows.Score(threshold);
    }

    /// <summary>Scores a corpus at one threshold (the same for every file) and normalises it.</summary>
    public static NabCorpusScore ScoreCorpus(IReadOnlyList<NabSeries> corpus, IReadOnlyList<IReadOnlyList<double>> scores, double threshold, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(scores);
        CheckShapes(corpus, scores);
        var files = new NabFileScore[corpus.Count];
        var raw = 0.0;
        for (var i = 0; i < corpus.Count; i++)
        {
            files[i] = ScoreFile(corpus[i], scores[i], threshold, profile);
            raw += files[i].RawScore;
        }
        return new NabCorpusScore(profile, threshold, raw, Normalize(corpus, raw, profile), files);
    }

    /// <summary>
    /// NAB's threshold optimisation: the corpus raw score at every distinct anomaly score of the scored rows (and at
    /// <see cref="NoAlarms"/>), keeping the best, the highest threshold on ties. Then scores the corpus there.
    /// </summary>
    public static NabCorpusScore Optimize(IReadOnlyList<NabSeries> corpus, IReadOnlyList<IReadOnlyList<double>> scores, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(scores);
        CheckShapes(corpus, scores);
        var sweeps = new SweepRows[corpus.Count];
        for (var i = 0; i < corpus.Count; i++)
        {
            sweeps[i] = SweepRows.Of(corpus[i], scores[i], profile);
        }
        var best = SweepRows.BestThreshold(sweeps, profile);
        return ScoreCorpus(corpus, scores, best, profile);
    }

    /// <summary><c>100 (S - S_null) / (S_perfect - S_null)</c>: the null detector misses every window, the perfect one finds each at its start.</summary>
    public static double Normalize(IReadOnlyList<NabSeries> corpus, double rawScore, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(profile);
        var windows = corpus.Sum(s => s.Windows.Count);
        var perfect = profile.TruePositive * windows;
        var none = -profile.FalseNegative * windows;
        return perfect == none ? 0 : 100 * (rawScore - none) / (perfect - none);
    }

    private static void CheckShapes(IReadOnlyList<NabSeries> corpus, IReadOnlyList<IReadOnlyList<double>> scores)
    {
        if (corpus.Count != scores.Count)
        {
            throw new ArgumentException($"{scores.Count} score lists for {corpus.Count} series.", nameof(scores));
        }
        for (var i = 0; i < corpus.Count; i++)
        {
            if (scores[i].Count != corpus[i].Timestamps.Count)
            {
                throw new ArgumentException($"{corpus[i].Name}: {scores[i].Count} scores for {corpus[i].Timestamps.Count} rows.", nameof(scores));
            }
        }
    }
}
