using Doppel.Packs.Health.Trials.Internal;

namespace Doppel.Packs.Health;

public sealed partial class HealthPack
{
    /// <summary><c>doppel trial glucose</c>: glucose controllers compared on virtual cohorts.</summary>
    partial void AddGlucoseTrialVerbs(List<PackVerb> verbs) => verbs.Add(GlucoseTrialVerb.Create());

    /// <summary>The trial tables of <c>doppel bench health</c>: every patient of the three cohorts, all controllers, on the random scenario.</summary>
    partial void AddGlucoseTrialBenchmark(List<BenchPart> parts) =>
        parts.Add(new BenchPart("trials", "In-silico trial of the glucose controllers on the 30 patients (control target per cohort).", GlucoseTrialVerb.BenchOptions, GlucoseTrialVerb.BenchAsync));
}
