namespace Doppel.Analytics.Rul;

/// <summary>A remaining-useful-life prediction in cycles, with the bounds of its calibrated interval.</summary>
public sealed record RulEstimate(double Rul, double Lower, double Upper);
