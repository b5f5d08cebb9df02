using System.Globalization;
using Doppel.Analytics.Nab;

namespace Doppel.Tests.Analytics;

/// <summary>
/// The C# NAB scorer against NAB's own Python scorer: per-file raw scores and row counts of published detector outputs
/// (Data/nab, a slice of NAB at ea702d7, with the reference rows NAB produced), the scaled sigmoid's worked values, the
/// optimiser against an exhaustive search, and the normalisation's ends.
/// </summary>
public sealed class NabScorerTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Data", "nab");

    private static IReadOnlyList<NabSeries> Corpus()
    {
        var corpus = NabCorpus.Load(Root);
        Assert.True(corpus.IsSuccess, corpus.Error?.Message);
        return corpus.Value;
    }

    public static TheoryData<string, string, string, string> ReferenceRows()
    {
        var rows = new TheoryData<string, string, string, string>();
        foreach (var line in File.ReadLines(Path.Combine(Root, "reference_per_file.csv")).Skip(1))
        {
            var f = line.Split(',');
            rows.Add(f[0], f[1], f[2], f[3]);
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(ReferenceRows))]
    public void A_published_output_scores_as_NABs_scorer_scored_it(string variant, string detector, string profile, string file)
    {
        var reference = File.ReadLines(Path.Combine(Root, "reference_per_file.csv")).Skip(1).Select(l => l.Split(','))
            .Single(f => f[0] == variant && f[1] == detector && f[2] == profile && f[3] == file);
        var corpus = Corpus();
        var index = corpus.ToList().FindIndex(s => s.Name == file);
        var scores = NabCorpus.ReadResults(Root, detector, corpus);
        Assert.True(scores.IsSuccess, scores.Error?.Message);

        var result = NabScorer.ScoreFile(corpus[index], scores.Value[index], Parse(reference[4]), NabProfile.Find(profile)!);

        Assert.Equal(Parse(reference[5]), result.RawScore, 1e-9);
        Assert.Equal(
            (int.Parse(reference[6], CultureInfo.InvariantCulture), int.Parse(reference[7], CultureInfo.InvariantCulture), int.Parse(reference[8], CultureInfo.InvariantCulture), int.Parse(reference[9], CultureInfo.InvariantCulture)),
            (result.TruePositives, result.TrueNegatives, result.FalsePositives, result.FalseNegatives));
        Assert.Equal(int.Parse(reference[10], CultureInfo.InvariantCulture), result.ScoredRows);
    }

    [Fact]
    public void The_scaled_sigmoid_weights_a_window_of_ten_rows_and_the_row_after_it_as_NAB_documents()
    {
        // 100 rows at one-minute steps, probation 15 rows, one window over rows 50..59.
        var start = new DateTime(2020, 1, 1);
        var times = Enumerable.Range(0, 100).Select(i => start.AddMinutes(i)).ToList();
        var series = new NabSeries("synthetic.csv", times, new double[100], [new NabWindow(times[50], times[59])]);

        double Alarm(int row, NabProfile profile)
        {
            var scores = new double[100];
            scores[row] = 1;
            return NabScorer.ScoreFile(series, scores, 0.5, profile).RawScore;
        }

        // The window's first row earns A_TP, its last 0.248..., nothing missed; the first row after it costs 0.0298 (and the window is missed).
        Assert.Equal(1.0, Alarm(50, NabProfile.Standard), 1e-12);
        Assert.Equal(0.24824154977542992, Alarm(59, NabProfile.Standard), 1e-12);
        Assert.Equal(-1 - 0.029793183036839352, Alarm(60, NabProfile.Standard), 1e-12);
        // Before any window a false alarm costs the whole A_FP; far after the window too.
        Assert.Equal(-1 - 0.11, Alarm(20, NabProfile.Standard), 1e-12);
        Assert.Equal(-1 - 0.22, Alarm(99, NabProfile.RewardLowFalsePositives), 1e-12);
        // An alarm in the probationary period counts for nothing.
        Assert.Equal(-2, Alarm(5, NabProfile.RewardLowFalseNegatives), 1e-12);
    }

    [Fact]
    public void A_threshold_below_every_score_makes_every_scored_row_an_alarm()
    {
        var corpus = Corpus();
        var scores = NabCorpus.ReadResults(Root, "numenta", corpus).Value!;
        var result = NabScorer.ScoreFile(corpus[0], scores[0], double.NegativeInfinity, NabProfile.Standard);
        Assert.Equal(0, result.TrueNegatives + result.FalseNegatives);
        Assert.Equal(corpus[0].Timestamps.Count - corpus[0].ProbationaryRows, result.ScoredRows);
    }

    [Theory]
    [InlineData("numenta")]
    [InlineData("ARTime")]
    [InlineData("knncad")]
    public void The_optimiser_finds_the_best_threshold_that_an_exhaustive_search_finds_the_highest_on_ties(string detector)
    {
        var corpus = Corpus();
        var scores = NabCorpus.ReadResults(Root, detector, corpus).Value!;
        foreach (var profile in NabProfile.All)
        {
            var optimised = NabScorer.Optimize(corpus, scores, profile);

            // Every distinct score of the scored rows, and 1.1, tried one by one.
            var candidates = corpus.SelectMany((s, i) => scores[i].Skip(s.ProbationaryRows)).Append(NabScorer.NoAlarms).Distinct().OrderDescending();
            var best = candidates.Select(t => NabScorer.ScoreCorpus(corpus, scores, t, profile)).MaxBy(r => r.RawScore)!;
            Assert.Equal(best.RawScore, optimised.RawScore, 1e-9);
            Assert.Equal(best.Threshold, optimised.Threshold);
        }
    }

    [Fact]
    public void The_null_detector_scores_0_and_the_perfect_one_100_under_every_profile()
    {
        var corpus = Corpus();
        var none = corpus.Select(s => (IReadOnlyList<double>)new double[s.Timestamps.Count]).ToList();
        var perfect = corpus.Select(s =>
        {
            var scores = new double[s.Timestamps.Count];
            foreach (var window in s.Windows)
            {
                scores[s.Timestamps.ToList().IndexOf(window.Start)] = 1;
            }
            return (IReadOnlyList<double>)scores;
        }).ToList();
        foreach (var profile in NabProfile.All)
        {
            Assert.Equal(0, NabScorer.ScoreCorpus(corpus, none, 0.5, profile).NormalizedScore, 1e-9);
            Assert.Equal(100, NabScorer.ScoreCorpus(corpus, perfect, 0.5, profile).NormalizedScore, 1e-9);
        }
    }

    [Fact]
    public void The_split_alternates_the_series_of_each_category_by_name_and_keeps_the_corpus_order()
    {
        static NabSeries Named(string name) => new(name, [], [], []);
        var corpus = new[] { "b/z.csv", "a/3.csv", "b/x.csv", "a/1.csv", "a/2.csv", "b/y.csv", "c/only.csv" }.Select(Named).ToList();

        var split = NabSplit.Split(corpus);

        Assert.Equal(["b/z.csv", "a/3.csv", "b/x.csv", "a/1.csv", "c/only.csv"], split.Tuning.Select(s => s.Name));
        Assert.Equal(["a/2.csv", "b/y.csv"], split.HeldOut.Select(s => s.Name));
        Assert.Equal(split.HeldOut.Select(s => s.Name), NabSplit.Split([.. Enumerable.Reverse(corpus)]).HeldOut.Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_held_out_half_is_scored_at_the_threshold_optimised_on_the_tuning_half()
    {
        var corpus = Corpus().ToList();
        var scores = NabCorpus.ReadResults(Root, "numenta", corpus).Value!;
        var split = NabSplit.Split(corpus);
        Assert.Equal(["realKnownCause/ec2_request_latency_system_failure.csv", "realTraffic/speed_7578.csv"], split.Tuning.Select(s => s.Name));
        Assert.Equal(["realKnownCause/rogue_agent_key_hold.csv", "realTraffic/speed_t4013.csv"], split.HeldOut.Select(s => s.Name));
        IReadOnlyList<IReadOnlyList<double>> ScoresOf(IReadOnlyList<NabSeries> half) => [.. half.Select(s => scores[corpus.IndexOf(s)])];

        foreach (var profile in NabProfile.All)
        {
            var held = NabSplit.ScoreHeldOut(corpus, scores, profile);

            var tuning = NabScorer.Optimize(split.Tuning, ScoresOf(split.Tuning), profile);
            Assert.Equal(tuning.Threshold, held.Tuning.Threshold);
            var expected = NabScorer.ScoreCorpus(split.HeldOut, ScoresOf(split.HeldOut), tuning.Threshold, profile);
            Assert.Equal(expected.NormalizedScore, held.HeldOut.NormalizedScore, 1e-9);
            Assert.Equal(["realKnownCause/rogue_agent_key_hold.csv", "realTraffic/speed_t4013.csv"], held.HeldOut.Files.Select(f => f.File));
        }
    }

    [Fact]
    public void A_results_file_of_the_wrong_length_is_an_error_naming_it()
    {
        var corpus = Corpus();
        var shifted = corpus.Select(s => s with { Timestamps = [.. s.Timestamps, s.Timestamps[^1]], Values = [.. s.Values, 0] }).ToList();
        var read = NabCorpus.ReadResults(Root, "numenta", shifted);
        Assert.False(read.IsSuccess);
        Assert.Contains("rows where", read.Error.Message, StringComparison.Ordinal);
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
