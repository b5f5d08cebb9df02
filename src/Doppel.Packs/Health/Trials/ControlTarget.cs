namespace Doppel.Packs.Health.Trials;

/// <summary>
/// A glycaemic target a controller must reach in a cohort (by the cohort's mean): at least <see cref="TimeInRange"/>
/// percent in 70–180 mg/dL, under <see cref="Below70"/> percent below 70 and under <see cref="Below54"/> below 54.
/// </summary>
public sealed record ControlTarget(double TimeInRange, double Below70, double Below54)
{
    /// <summary>The target (close to the international consensus's 70 / 4 / 1, with the range share raised to 80).</summary>
    public static ControlTarget Default { get; } = new(80, 4, 1);

    /// <summary>Whether an arm reaches the target.</summary>
    public bool IsMetBy(TrialArm arm)
    {
        ArgumentNullException.ThrowIfNull(arm);
        return arm[GlucoseMetric.TimeInRange].Mean >= TimeInRange && arm[GlucoseMetric.Below70].Mean < Below70 && arm[GlucoseMetric.Below54].Mean < Below54;
    }

    /// <inheritdoc/>
    public override string ToString() => $"TIR >= {TimeInRange}%, <70 below {Below70}%, <54 below {Below54}%";
}
