namespace Doppel.Packs.Health.Trials;

/// <summary>
/// An in-silico trial: every patient of every cohort, under every meal scenario, with every controller, replicated
/// with seeds derived from <see cref="Seed"/>. A replication's meals are shared by all patients and controllers and its
/// sensor noise by all controllers of a patient, so controllers are compared on the same days (paired).
/// </summary>
public sealed record GlucoseTrialDesign
{
    /// <summary>The cohorts (each summarised on its own).</summary>
    public required IReadOnlyList<TrialCohort> Cohorts { get; init; }

    /// <summary>The meal scenarios.</summary>
    public required IReadOnlyList<TrialScenario> Scenarios { get; init; }

    /// <summary>The controllers; the first is the baseline the others are compared with.</summary>
    public required IReadOnlyList<TrialController> Controllers { get; init; }

    /// <summary>Replications of each patient, scenario and controller (different meals and sensor noise).</summary>
    public int Replications { get; init; } = 3;

    /// <summary>How long each run lasts.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The trial's seed: the same seed gives the same result, whatever the parallelism.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>When each run starts (simglucose's random scenario draws a new day at each midnight).</summary>
    public DateTime Start { get; init; } = new(2018, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    /// <summary>The CGM sensor (<c>Dexcom</c>, <c>GuardianRT</c>, <c>Navigator</c>).</summary>
    public string Sensor { get; init; } = "Dexcom";

    /// <summary>The insulin pump (<c>Insulet</c>, <c>Cozmo</c>).</summary>
    public string Pump { get; init; } = "Insulet";

    /// <summary>The confidence level of the intervals.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Runs at once (at least 1).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Whether each run keeps its BG trace (for plots).</summary>
    public bool KeepTraces { get; init; }

    /// <summary>What makes the design unrunnable, one sentence each; empty when it can run.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Cohorts is not { Count: > 0 } || Cohorts.Any(c => c.Patients.Count == 0))
        {
            errors.Add("A trial needs at least one cohort, and each cohort at least one patient.");
        }
        if (Scenarios is not { Count: > 0 })
        {
            errors.Add("A trial needs at least one meal scenario.");
        }
        if (Controllers is not { Count: > 0 })
        {
            errors.Add("A trial needs at least one controller.");
        }
        else if (Controllers.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != Controllers.Count)
        {
            errors.Add("The controllers' names must differ.");
        }
        if (Replications < 1)
        {
            errors.Add($"Replications must be at least 1, not {Replications}.");
        }
        if (Duration <= TimeSpan.Zero)
        {
            errors.Add($"The duration must be positive, not {Duration}.");
        }
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            errors.Add($"The confidence level is between 0 and 1, not {ConfidenceLevel}.");
        }
        if (Parallelism < 1)
        {
            errors.Add($"Parallelism must be at least 1, not {Parallelism}.");
        }
        return errors;
    }
}
