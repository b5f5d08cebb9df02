using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Health.Trials;

/// <summary>
/// A controller against the baseline on one metric in a cohort under a scenario: the paired difference
/// (alternative − baseline) with its t interval, and Wilcoxon's signed-rank test of the same pairs.
/// </summary>
public sealed record TrialComparison(string Cohort, string Scenario, string Metric, Comparison Difference, WilcoxonResult Wilcoxon);
