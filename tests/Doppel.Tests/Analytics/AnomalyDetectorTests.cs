using Doppel.Analytics.Anomaly;
using Doppel.Analytics.Nab;

namespace Doppel.Tests.Analytics;

/// <summary>The shipped detectors: scores in [0, 1], deterministic, and each catching the kind of anomaly it is for.</summary>
public sealed class AnomalyDetectorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);   // a Monday

    private static double[] Run(string name, IReadOnlyList<double> values, int minutes = 5)
    {
        var detector = AnomalyDetectors.Create(name).Value!;
        return [.. values.Select((v, i) => detector.Next(Start.AddMinutes(minutes * i), v).Score)];
    }

    /// <summary>A daily cycle (288 readings a day) with deterministic noise.</summary>
    private static List<double> Daily(int days) =>
        [.. Enumerable.Range(0, days * 288).Select(i => 50 + 20 * Math.Sin(2 * Math.PI * i / 288) + (i * 7919 % 13) * 0.1)];

    public static TheoryData<string> Names() => [.. AnomalyDetectors.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_detector_scores_each_reading_in_0_to_1_the_same_way_twice_even_with_repeated_and_backward_times(string name)
    {
        var values = Daily(4);
        values[700] = 500;
        var first = AnomalyDetectors.Create(name).Value!;
        var second = AnomalyDetectors.Create(name).Value!;
        for (var i = 0; i < values.Count; i++)
        {
            // Every tenth reading repeats the previous time, every 97th goes an hour back.
            var time = Start.AddMinutes(5 * (i % 10 == 0 ? i - 1 : i)).AddHours(i % 97 == 0 ? -1 : 0);
            var a = first.Next(time, values[i]);
            var b = second.Next(time, values[i]);
            Assert.InRange(a.Score, 0, 1);
            Assert.Equal(a, b);
        }
        Assert.Equal(name, first.Name);
    }

    [Theory]
    [InlineData("ewma")]
    [InlineData("mad")]
    [InlineData("seasonal")]
    [InlineData("ensemble")]
    public void A_spike_in_a_steady_series_scores_high_with_a_reason(string name)
    {
        var values = Enumerable.Range(0, 600).Select(i => 20 + (i * 7919 % 11) * 0.1).ToList();
        values[500] = 60;
        var detector = AnomalyDetectors.Create(name).Value!;
        AnomalyScore spike = default;
        for (var i = 0; i < values.Count; i++)
        {
            var score = detector.Next(Start.AddMinutes(5 * i), values[i]);
            if (i == 500)
            {
                spike = score;
            }
            else if (i < 500 && i > 200)
            {
                Assert.True(score.Score < 0.5, $"reading {i} scored {score.Score}");
            }
        }
        Assert.True(spike.Score >= 0.9, $"the spike scored {spike.Score}");
        Assert.False(string.IsNullOrEmpty(spike.Reason));
    }

    [Fact]
    public void A_reading_usual_for_the_day_but_not_for_its_time_of_day_is_caught_by_the_seasonal_detector_only()
    {
        var values = Daily(10);
        var trough = 8 * 288 + 216;          // 18:00 on day 8, the bottom of the cycle (30)
        values[trough] = 68;                 // the level of the cycle's top: usual in the day, not at 18:00
        var seasonal = Run("seasonal", values);
        var mad = Run("mad", values);
        Assert.True(seasonal[trough] >= 0.9, $"seasonal scored {seasonal[trough]}");
        Assert.True(mad[trough] < 0.5, $"mad scored {mad[trough]}");
    }

    [Fact]
    public void A_weekday_level_on_a_Sunday_is_caught_by_the_weekly_profile()
    {
        // Hourly readings: 100 on weekdays, 20 at weekends, for five weeks; then a Sunday at the weekday level.
        var values = Enumerable.Range(0, 24 * 7 * 5).Select(i => Start.AddHours(i).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 20.0 : 100.0)
            .Select((v, i) => v + (i * 7919 % 7) * 0.2).ToList();
        var sunday = 24 * 7 * 4 + 24 * 6 + 12;  // noon on the fifth Sunday
        values[sunday] = 100;
        var scores = Run("seasonal", values, minutes: 60);
        Assert.True(scores[sunday] >= 0.9, $"seasonal scored {scores[sunday]}");
        Assert.True(scores[sunday - 24] < 0.5, $"the Saturday before scored {scores[sunday - 24]}");
    }

    [Fact]
    public void An_unknown_detector_is_an_error_that_suggests_the_nearest_name()
    {
        var created = AnomalyDetectors.Create("sesonal");
        Assert.False(created.IsSuccess);
        Assert.Contains("did you mean 'seasonal'?", created.Error.Message, StringComparison.Ordinal);
        Assert.Contains(AnomalyDetectors.Default, AnomalyDetectors.Names);
    }

    [Fact]
    public void The_default_detector_finds_the_NAB_slices_anomalies_better_than_the_null_detector()
    {
        var corpus = NabCorpus.Load(Path.Combine(AppContext.BaseDirectory, "Data", "nab")).Value!;
        var scores = corpus.Select(s =>
        {
            var detector = AnomalyDetectors.Create(AnomalyDetectors.Default).Value!;
            return (IReadOnlyList<double>)[.. s.Timestamps.Select((t, i) => detector.Next(new DateTimeOffset(t, TimeSpan.Zero), s.Values[i]).Score)];
        }).ToList();
        var standard = NabScorer.Optimize(corpus, scores, NabProfile.Standard);
        Assert.True(standard.NormalizedScore > 40, $"standard profile: {standard.NormalizedScore:0.00}");
    }
}
