namespace Doppel.Packs.Health.Trials;

/// <summary>A trial's outcome: every run in the design's order, each arm's summary, and each controller against the baseline.</summary>
public sealed record GlucoseTrialResult(GlucoseTrialDesign Design, IReadOnlyList<GlucoseTrialRun> Runs, IReadOnlyList<TrialArm> Arms, IReadOnlyList<TrialComparison> Comparisons)
{
    /// <summary>The baseline controller (the design's first).</summary>
    public string Baseline => Design.Controllers[0].Name;

    /// <summary>The arm of a cohort, scenario and controller.</summary>
    public TrialArm Arm(string cohort, string scenario, string controller) =>
        Arms.FirstOrDefault(a => a.Cohort == cohort && a.Scenario == scenario && a.Controller == controller)
        ?? throw new ArgumentException($"The trial has no arm {cohort} / {scenario} / {controller}.");
}
