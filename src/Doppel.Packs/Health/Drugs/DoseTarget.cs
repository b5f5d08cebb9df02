namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// What a dose is chosen for: the steady-state AUC over 24 h within [<see cref="AucLow"/>, <see cref="AucHigh"/>] mg·h/L
/// (vancomycin: 400–600, assuming an MIC of 1 mg/L; Rybak et al., Am J Health Syst Pharm 2020;77(11):835–864), among
/// doses rounded to <see cref="Rounding"/> mg, at most <see cref="MaxDose"/> mg, every one of <see cref="Intervals"/> h.
/// </summary>
public sealed record DoseTarget(double AucLow = 400, double AucHigh = 600, double Rounding = 250, double MaxDose = 3000, IReadOnlyList<double>? Intervals = null)
{
    /// <summary>The dosing intervals considered unless told otherwise (h).</summary>
    public static IReadOnlyList<double> DefaultIntervals { get; } = [8, 12, 24, 36, 48];

    public IReadOnlyList<double> Candidates => Intervals ?? DefaultIntervals;

    public double Middle => (AucLow + AucHigh) / 2;

    public string? Problem() =>
        !(double.IsFinite(AucLow) && AucLow > 0 && double.IsFinite(AucHigh) && AucHigh > AucLow) ? $"the AUC24 target needs 0 < low < high, got [{AucLow}, {AucHigh}]"
        : !(double.IsFinite(Rounding) && Rounding > 0) ? $"doses are rounded to a positive amount, got {Rounding} mg"
        : !(double.IsFinite(MaxDose) && MaxDose >= Rounding) ? $"the largest dose must be at least the rounding ({Rounding} mg), got {MaxDose}"
        : Candidates.Count == 0 || Candidates.Any(i => !(double.IsFinite(i) && i > 0)) ? "the dosing intervals must be positive hours, and at least one"
        : null;
}
