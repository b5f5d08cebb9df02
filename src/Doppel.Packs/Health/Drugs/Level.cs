namespace Doppel.Packs.Health.Drugs;

/// <summary>A measured drug level (therapeutic drug monitoring): when it was drawn (h, on the dosing clock) and the concentration (mg/L).</summary>
public sealed record Level(double Time, double Value)
{
    public string? Problem() =>
        !(double.IsFinite(Time) && Time >= 0) ? $"a level's time must be 0 h or later, got {Time}"
        : !(double.IsFinite(Value) && Value >= 0) ? $"a level must be a concentration of 0 mg/L or more, got {Value}"
        : null;
}
