namespace Doppel.Analytics.Nab;

/// <summary>A corpus split into a tuning half and a held-out half.</summary>
public sealed record NabSplitCorpus(IReadOnlyList<NabSeries> Tuning, IReadOnlyList<NabSeries> HeldOut);

/// <summary>A detector's held-out score: its threshold optimised on the tuning half, then the held-out half scored at it.</summary>
public sealed record NabHeldOutScore(NabCorpusScore Tuning, NabCorpusScore HeldOut);

/// <summary>
/// An honest protocol for detectors whose constants are chosen by looking at the series: within each NAB category
/// (the folder of a series' name), the series sorted by name alternate between the tuning half (first, third, ...)
/// and the held-out half (second, fourth, ...). Constants and thresholds are chosen on the tuning half only; the
/// held-out half's score estimates the score on series not seen. The split depends on the names alone, so it is the
/// same on every machine and for every detector, and each category is represented in both halves.
/// </summary>
public static class NabSplit
{
    /// <summary>Splits <paramref name="corpus"/>; each half keeps the corpus order.</summary>
    public static NabSplitCorpus Split(IReadOnlyList<NabSeries> corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var heldOut = corpus
            .GroupBy(s => Category(s.Name), StringComparer.Ordinal)
            .SelectMany(g => g.OrderBy(s => s.Name, StringComparer.Ordinal).Where((_, i) => i % 2 == 1))
            .Select(s => s.Name)
            .ToHashSet(StringComparer.Ordinal);
        return new NabSplitCorpus([.. corpus.Where(s => !heldOut.Contains(s.Name))], [.. corpus.Where(s => heldOut.Contains(s.Name))]);
    }

    /// <summary>
    /// Optimises the threshold on the tuning half of <paramref name="corpus"/> and scores the held-out half at it
    /// (normalised over the held-out half's windows). <paramref name="scores"/> holds one score list per series of
    /// <paramref name="corpus"/>, in its order.
    /// </summary>
    public static NabHeldOutScore ScoreHeldOut(IReadOnlyList<NabSeries> corpus, IReadOnlyList<IReadOnlyList<double>> scores, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(scores);
        if (corpus.Count != scores.Count)
        {
            throw new ArgumentException($"{scores.Count} score lists for {corpus.Count} series.", nameof(scores));
        }
        var split = Split(corpus);
        var byName = corpus.Select((s, i) => (s.Name, Scores: scores[i])).ToDictionary(p => p.Name, p => p.Scores, StringComparer.Ordinal);
        var tuning = NabScorer.Optimize(split.Tuning, [.. split.Tuning.Select(s => byName[s.Name])], profile);
        var heldOut = NabScorer.ScoreCorpus(split.HeldOut, [.. split.HeldOut.Select(s => byName[s.Name])], tuning.Threshold, profile);
        return new NabHeldOutScore(tuning, heldOut);
    }

    private static string Category(string name)
    {
        var slash = name.LastIndexOfAny(['/', '\\']);
        return slash < 0 ? "" : name[..slash];
    }
}
