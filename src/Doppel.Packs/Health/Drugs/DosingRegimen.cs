namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// Repeated doses: <see cref="Amount"/> mg every <see cref="Interval"/> h, <see cref="Count"/> times from <see cref="Start"/>,
/// by one route (an infusion runs <see cref="InfusionDuration"/> h).
/// </summary>
public sealed record DosingRegimen(double Amount, double Interval, int Count, DoseRoute Route = DoseRoute.Infusion, double InfusionDuration = 1, double Start = 0)
{
    /// <summary>What is wrong with the regimen, or null when it can be given.</summary>
    public string? Problem()
    {
        if (!double.IsFinite(Amount) || Amount <= 0)
        {
            return $"the dose must be more than 0 mg, got {Amount}";
        }
        if (!double.IsFinite(Interval) || Interval <= 0)
        {
            return $"the interval must be more than 0 h, got {Interval}";
        }
        if (Count is < 1 or > 100_000)
        {
            return $"the number of doses must be from 1 to 100000, got {Count}";
        }
        if (!double.IsFinite(Start) || Start < 0)
        {
            return $"the first dose must be at 0 h or later, got {Start}";
        }
        if (Route == DoseRoute.Infusion && !(double.IsFinite(InfusionDuration) && InfusionDuration > 0 && InfusionDuration <= Interval))
        {
            return $"the infusion must last more than 0 h and at most the interval ({Interval} h), got {InfusionDuration}";
        }
        return null;
    }

    /// <summary>Every dose of the regimen, in time order.</summary>
    public IReadOnlyList<Dose> Doses()
    {
        if (Problem() is { } problem)
        {
            throw new InvalidOperationException($"The regimen cannot be given: {problem}.");
        }
        var doses = new Dose[Count];
        for (var i = 0; i < Count; i++)
        {
            doses[i] = new Dose(Start + (i * Interval), Amount, Route, Route == DoseRoute.Infusion ? InfusionDuration : 0);
        }
        return doses;
    }

    /// <summary>The amount given per 24 h (mg/day).</summary>
    public double DailyDose => Amount * 24 / Interval;

    /// <summary>How a clinician writes it: "1250 mg q12h (1 h infusion)".</summary>
    public override string ToString() => Route switch
    {
        DoseRoute.Infusion => FormattableString.Invariant($"{Amount:G} mg q{Interval:G}h ({InfusionDuration:G} h infusion)"),
        DoseRoute.Oral => FormattableString.Invariant($"{Amount:G} mg q{Interval:G}h oral"),
        _ => FormattableString.Invariant($"{Amount:G} mg q{Interval:G}h bolus"),
    };
}
