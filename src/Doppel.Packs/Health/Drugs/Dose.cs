namespace Doppel.Packs.Health.Drugs;

/// <summary>How a dose enters the body.</summary>
public enum DoseRoute
{
    /// <summary>An intravenous bolus: the whole amount in the central compartment at once.</summary>
    Bolus,

    /// <summary>An intravenous infusion at a constant rate (zero order) over <see cref="Dose.Duration"/>.</summary>
    Infusion,

    /// <summary>An oral dose: the bioavailable fraction enters a depot absorbed at first order, after the lag time.</summary>
    Oral,
}

/// <summary>One administration: when (h), how much (mg), by which route, and for an infusion how long it runs (h).</summary>
public sealed record Dose(double Time, double Amount, DoseRoute Route, double Duration = 0)
{
    /// <summary>What is wrong with the dose, or null when it can be given.</summary>
    public string? Problem()
    {
        if (!double.IsFinite(Time) || Time < 0)
        {
            return $"a dose's time must be 0 h or later, got {Time}";
        }
        if (!double.IsFinite(Amount) || Amount < 0)
        {
            return $"a dose's amount must be 0 mg or more, got {Amount}";
        }
        if (Route == DoseRoute.Infusion && !(double.IsFinite(Duration) && Duration > 0))
        {
            return $"an infusion's duration must be more than 0 h, got {Duration}";
        }
        return null;
    }

    /// <summary>The infusion rate (mg/h); 0 for a bolus or an oral dose.</summary>
    public double Rate => Route == DoseRoute.Infusion ? Amount / Duration : 0;
}
