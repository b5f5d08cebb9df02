using Doppel.Packs.Health.Glucose;
using Doppel.Packs.Health.Trials;
using MathNet.Numerics.Distributions;

namespace Doppel.Tests.Packs.Health.Trials;

public sealed class TrialStatisticsTests
{
    private static readonly TrialController Baseline = new("baseline", _ => new BasalBolusController());
    private static readonly TrialController Better = new("better", _ => new BasalBolusController());

    [Fact]
    public void Intervals_over_patients_cover_the_true_mean_about_95_percent_of_the_time()
    {
        // Ten patients per trial, each with time in range ~ N(70, 8²) and three replications around it ~ N(0, 3²):
        // the interval is over patient means, whose spread is √(8² + 3²/3); it should cover 70 in ~95% of trials.
        var random = new Random(20261207);
        var covered = 0;
        const int Trials = 1000;
        for (var t = 0; t < Trials; t++)
        {
            var result = GlucoseTrial.Summarise(Design(10, 3), Runs(random, 10, 3, shift: 0));
            var tir = result.Arm("cohort", "random", "baseline")[GlucoseMetric.TimeInRange];
            Assert.Equal(10, tir.Count);
            covered += tir.Lower <= 70 && 70 <= tir.Upper ? 1 : 0;
        }
        // Binomial(1000, 0.95): sd ≈ 6.9, so 930..970 is about ±3 sd.
        Assert.InRange(covered, 930, 970);
    }

    [Fact]
    public void Paired_difference_recovers_a_known_shift_and_its_tests_see_it()
    {
        // The better controller adds 5 points of time in range ± 2 (per patient) on the same days: the paired interval
        // covers 5 about 95% of the time and excludes 0 almost always, although patients differ by ± 8.
        var random = new Random(7);
        int covered = 0, significant = 0, wilcoxon = 0;
        const int Trials = 500;
        for (var t = 0; t < Trials; t++)
        {
            var result = GlucoseTrial.Summarise(Design(10, 2, Baseline, Better), Runs(random, 10, 2, shift: 5));
            var comparison = Assert.Single(result.Comparisons, c => c.Metric == "tir");
            covered += comparison.Difference.Lower <= 5 && 5 <= comparison.Difference.Upper ? 1 : 0;
            significant += comparison.Difference.IsSignificant ? 1 : 0;
            wilcoxon += comparison.Wilcoxon.PValue < 0.05 ? 1 : 0;
            Assert.True(comparison.Difference.Paired);
        }
        Assert.InRange(covered, 455, 495);
        Assert.True(significant > 490, $"{significant} of {Trials}");
        Assert.True(wilcoxon > 490, $"{wilcoxon} of {Trials}");
    }

    [Fact]
    public void A_cohort_of_one_patient_is_summarised_over_its_replications()
    {
        var result = GlucoseTrial.Summarise(Design(1, 5), Runs(new Random(3), 1, 5, shift: 0));

        var arm = result.Arm("cohort", "random", "baseline");
        Assert.Equal(5, arm.Units);
        Assert.Equal(5, arm.Runs);
        Assert.True(double.IsFinite(arm[GlucoseMetric.TimeInRange].HalfWidth));
    }

    [Fact]
    public void Runs_missing_an_arm_of_the_design_are_refused()
    {
        var runs = Runs(new Random(3), 2, 1, shift: 0);

        var error = Assert.Throws<ArgumentException>(() => GlucoseTrial.Summarise(Design(2, 1, Baseline, Better), runs));
        Assert.Contains("better", error.Message, StringComparison.Ordinal);
    }

    private static GlucoseTrialDesign Design(int patients, int replications, params TrialController[] controllers) => new()
    {
        Cohorts = [new TrialCohort("cohort", [.. PatientParameters.Cohort("adults").Take(patients)])],
        Scenarios = [TrialScenario.Random],
        Controllers = controllers.Length > 0 ? controllers : [Baseline],
        Replications = replications,
    };

    /// <summary>Synthetic runs in the design's order; "better" (if asked for) adds <paramref name="shift"/> ± 2 per patient.</summary>
    private static List<GlucoseTrialRun> Runs(Random random, int patients, int replications, double shift)
    {
        var runs = new List<GlucoseTrialRun>();
        foreach (var patient in PatientParameters.Cohort("adults").Take(patients))
        {
            var level = Normal.Sample(random, 70, 8);
            var gain = Normal.Sample(random, shift, 2);
            for (var r = 0; r < replications; r++)
            {
                var day = Normal.Sample(random, 0, 3);
                runs.Add(Run(patient.Name, "baseline", r, level + day));
                if (shift != 0)
                {
                    runs.Add(Run(patient.Name, "better", r, level + day + gain));
                }
            }
        }
        return runs;
    }

    private static GlucoseTrialRun Run(string patient, string controller, int replication, double tir) =>
        new("cohort", patient, "random", controller, replication, 0, 0, new GlucoseMetrics
        {
            Samples = 480,
            MeanGlucose = 150,
            TimeInRange = tir,
            Below70 = 1,
            Below54 = 0,
            Above180 = 99 - tir,
            Above250 = 5,
            Lbgi = 1,
            Hbgi = 5,
            RiskIndex = 6,
            CvgaMinimum = 80,
            CvgaMaximum = 250,
            Zone = CvgaZone.B,
        });
}
