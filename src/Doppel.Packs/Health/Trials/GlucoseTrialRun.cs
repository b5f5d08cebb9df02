namespace Doppel.Packs.Health.Trials;

/// <summary>One simulation of a trial: who, which scenario and controller, which replication and seeds, and its metrics.</summary>
public sealed record GlucoseTrialRun(string Cohort, string Patient, string Scenario, string Controller, int Replication, uint MealSeed, uint SensorSeed, GlucoseMetrics Metrics)
{
    /// <summary>The BG trace (mg/dL, one value per sensor step), when the design keeps traces.</summary>
    public IReadOnlyList<double>? Bg { get; init; }
}
