using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Health.Trials;

/// <summary>
/// A controller's outcome in a cohort under a scenario: each metric's mean with its confidence interval over the
/// cohort's patients (each patient the mean of its replications; over replications when the cohort has one patient),
/// and the share of runs in each zone of the control-variability grid.
/// </summary>
public sealed record TrialArm(string Cohort, string Scenario, string Controller, int Units, int Runs, IReadOnlyDictionary<string, KpiSummary> Metrics, IReadOnlyDictionary<char, double> Cvga)
{
    /// <summary>A metric's summary by key (<see cref="GlucoseMetric.Key"/>).</summary>
    public KpiSummary this[GlucoseMetric metric] => Metrics[metric.Key];
}
