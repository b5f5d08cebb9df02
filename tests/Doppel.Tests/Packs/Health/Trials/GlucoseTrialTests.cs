using Doppel.Packs.Health.Glucose;
using Doppel.Packs.Health.Trials;

namespace Doppel.Tests.Packs.Health.Trials;

public sealed class GlucoseTrialTests
{
    private static GlucoseTrialDesign Small(int parallelism, ulong seed = 3) => new()
    {
        Cohorts = [TrialCohort.Named("adults", 2), TrialCohort.Named("children", 1)],
        Scenarios = [TrialScenario.Random],
        Controllers = [new TrialController("basal-bolus", _ => new BasalBolusController()), new TrialController("pid", _ => new PidController()), new TrialController("mpc", _ => new ModelPredictiveController())],
        Duration = TimeSpan.FromHours(10),
        Replications = 2,
        Seed = seed,
        Parallelism = parallelism,
    };

    [Fact]
    public void A_seed_gives_the_same_trial_whatever_the_parallelism()
    {
        var serial = GlucoseTrial.Run(Small(1)).Value!;
        var parallel = GlucoseTrial.Run(Small(2)).Value!;
        var other = GlucoseTrial.Run(Small(2, seed: 4)).Value!;

        Assert.Equal(3 * 2 * 3, serial.Runs.Count);
        Assert.Equal(serial.Runs.Select(r => (r.Patient, r.Controller, r.Replication, r.Metrics)), parallel.Runs.Select(r => (r.Patient, r.Controller, r.Replication, r.Metrics)));
        Assert.NotEqual(serial.Runs.Select(r => r.Metrics.MeanGlucose), other.Runs.Select(r => r.Metrics.MeanGlucose));
    }

    [Fact]
    public void Controllers_of_a_replication_share_its_meals_and_a_patient_its_sensor_noise()
    {
        var result = GlucoseTrial.Run(Small(2)).Value!;

        foreach (var group in result.Runs.GroupBy(r => (r.Patient, r.Replication)))
        {
            Assert.Single(group.Select(r => (r.MealSeed, r.SensorSeed)).Distinct());
        }
        // Meals are the replication's, for every patient; sensor noise differs between patients and replications.
        Assert.Single(result.Runs.Where(r => r.Replication == 0).Select(r => r.MealSeed).Distinct());
        Assert.Equal(6, result.Runs.Select(r => r.SensorSeed).Distinct().Count());
        Assert.Equal(2, result.Runs.Select(r => r.MealSeed).Distinct().Count());
    }

    [Fact]
    public void Comparisons_pair_each_controller_with_the_baseline_on_every_metric()
    {
        var result = GlucoseTrial.Run(Small(2)).Value!;

        Assert.Equal(2 * 2 * GlucoseMetric.All.Count, result.Comparisons.Count);
        Assert.All(result.Comparisons, c => Assert.Equal("basal-bolus", c.Difference.Baseline));
        var arm = result.Arm("adults", "random", "mpc");
        Assert.Equal(2, arm.Units);
        Assert.Equal(4, arm.Runs);
        Assert.Equal(100, arm.Cvga.Values.Sum(), 1e-9);
        // A cohort of one patient is summarised over its two replications.
        Assert.Equal(2, result.Arm("children", "random", "pid").Units);
    }

    [Fact]
    public void A_design_that_cannot_run_is_an_error_naming_why()
    {
        var noControllers = GlucoseTrial.Run(Small(1) with { Controllers = [] });
        var badSensor = GlucoseTrial.Run(Small(1) with { Sensor = "Dexcon" });
        var noReplications = GlucoseTrial.Run(Small(1) with { Replications = 0 });

        Assert.Contains("at least one controller", noControllers.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("Dexcom", badSensor.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("Replications must be at least 1", noReplications.Error!.Message, StringComparison.Ordinal);
    }
}
