using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Health.Trials.Internal;

/// <summary>
/// A trial's statistics. The unit is the patient (the mean of its replications), since the cohort's patients are what
/// the trial samples; a cohort of one patient falls back to its replications. Comparisons pair the same unit under the
/// baseline and the alternative, which saw the same meals and sensor noise.
/// </summary>
internal static class TrialStatistics
{
    public static (IReadOnlyList<TrialArm> Arms, IReadOnlyList<TrialComparison> Comparisons) Summarise(GlucoseTrialDesign design, IReadOnlyList<GlucoseTrialRun> runs)
    {
        var arms = new List<TrialArm>();
        var comparisons = new List<TrialComparison>();
        var baseline = design.Controllers[0].Name;
        foreach (var cohort in design.Cohorts)
        {
            var byPatient = cohort.Patients.Count > 1;
            foreach (var scenario in design.Scenarios)
            {
                var units = new Dictionary<string, Dictionary<string, double[]>>(StringComparer.Ordinal);
                foreach (var controller in design.Controllers)
                {
                    var mine = runs.Where(r => r.Cohort == cohort.Name && r.Scenario == scenario.Name && r.Controller == controller.Name).ToList();
                    if (mine.Count == 0)
                    {
                        throw new ArgumentException($"The runs have none of {cohort.Name} / {scenario.Name} / {controller.Name}, which the design names.", nameof(runs));
                    }
                    var values = GlucoseMetric.All.ToDictionary(m => m.Key, m => Units(mine, m, byPatient), StringComparer.Ordinal);
                    units[controller.Name] = values;
                    var cvga = "ABCDE".ToDictionary(letter => letter, letter => 100.0 * mine.Count(r => Cvga.Letter(r.Metrics.Zone) == letter) / mine.Count);
                    arms.Add(new TrialArm(cohort.Name, scenario.Name, controller.Name, values[GlucoseMetric.TimeInRange.Key].Length, mine.Count,
                        values.ToDictionary(v => v.Key, v => KpiSummary.Of(v.Value, design.ConfidenceLevel), StringComparer.Ordinal), cvga));
                }
                foreach (var controller in design.Controllers.Skip(1))
                {
                    foreach (var metric in GlucoseMetric.All)
                    {
                        var a = units[baseline][metric.Key];
                        var b = units[controller.Name][metric.Key];
                        var difference = Comparison.PairedT(baseline, a, controller.Name, b, metric.Key, design.ConfidenceLevel);
                        var differences = new double[a.Length];
                        for (var i = 0; i < a.Length; i++)
                        {
                            differences[i] = b[i] - a[i];
                        }
                        comparisons.Add(new TrialComparison(cohort.Name, scenario.Name, metric.Key, difference, WilcoxonSignedRank.Test(differences)));
                    }
                }
            }
        }
        return (arms, comparisons);
    }

    /// <summary>A metric per unit, in the design's order (patients, then replications), so pairs line up across controllers.</summary>
    private static double[] Units(List<GlucoseTrialRun> runs, GlucoseMetric metric, bool byPatient)
    {
        if (!byPatient)
        {
            return [.. runs.OrderBy(r => r.Replication).Select(r => metric.Of(r.Metrics))];
        }
        return [.. runs.GroupBy(r => r.Patient, StringComparer.Ordinal).Select(g => g.Average(r => metric.Of(r.Metrics)))];
    }
}
