using Doppel.Packs.Health.Glucose;
using Doppel.Packs.Health.Trials;
using Xunit.Abstractions;

namespace Doppel.Tests.Packs.Health.Trials;

/// <summary>
/// The control target in a small trial: patients #004 and #007 of each cohort, one day, two replications,
/// seed 15, on simglucose's random meal scenario, basal-bolus beside the MPC in the same run. The MPC's settings were
/// tuned on patients #001–#003 with trial seed 101 only (docs/health-trials.md); neither these patients nor this seed.
/// The full version (all 30 patients, 3 days, 3 replications) is <c>doppel bench health --part trials</c>.
/// </summary>
public sealed class ControlTargetTests(ITestOutputHelper output)
{
    [Fact]
    public void Mpc_reaches_the_control_target_in_each_cohort_beside_basal_bolus()
    {
        var design = new GlucoseTrialDesign
        {
            Cohorts = [.. new[] { "adults", "adolescents", "children" }.Select(c => new TrialCohort(c, [.. PatientParameters.Cohort(c).Where(p => p.Name.EndsWith("#004", StringComparison.Ordinal) || p.Name.EndsWith("#007", StringComparison.Ordinal))]))],
            Scenarios = [TrialScenario.Random],
            Controllers = [new TrialController("basal-bolus", _ => new BasalBolusController()), new TrialController("mpc", _ => new ModelPredictiveController())],
            Duration = TimeSpan.FromDays(1),
            Replications = 2,
            Seed = 15,
        };

        var result = GlucoseTrial.Run(design).Value!;

        foreach (var arm in result.Arms)
        {
            output.WriteLine($"{arm.Cohort,-12} {arm.Controller,-12} TIR {arm[GlucoseMetric.TimeInRange].Mean,6:0.0}  <70 {arm[GlucoseMetric.Below70].Mean,5:0.00}  <54 {arm[GlucoseMetric.Below54].Mean,5:0.00}");
        }
        Assert.Equal(3 * 2 * 2 * 2, result.Runs.Count);
        foreach (var cohort in design.Cohorts)
        {
            var mpc = result.Arm(cohort.Name, "random", "mpc");
            Assert.True(ControlTarget.Default.IsMetBy(mpc),
                $"{cohort.Name}: TIR {mpc[GlucoseMetric.TimeInRange].Mean:0.0}%, <70 {mpc[GlucoseMetric.Below70].Mean:0.00}%, <54 {mpc[GlucoseMetric.Below54].Mean:0.00}%");
        }
    }
}
