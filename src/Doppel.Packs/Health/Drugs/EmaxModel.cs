namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// The sigmoid Emax model of a direct effect: E = E0 + Emax·Cᵞ/(EC50ᵞ + Cᵞ) (γ = 1 is the plain Emax model; a negative
/// Emax is an inhibition).
/// </summary>
public sealed record EmaxModel(double E0, double Emax, double EC50, double Hill = 1)
{
    public string? Problem() =>
        !double.IsFinite(E0) || !double.IsFinite(Emax) ? "E0 and Emax must be finite numbers"
        : !(double.IsFinite(EC50) && EC50 > 0) ? $"EC50 must be a positive concentration, got {EC50}"
        : !(double.IsFinite(Hill) && Hill > 0) ? $"the Hill coefficient must be positive, got {Hill}"
        : null;

    /// <summary>The effect at concentration <paramref name="c"/> (mg/L, ≥ 0).</summary>
    public double Effect(double c) => E0 + (Emax * Fraction(c, EC50, Hill));

    /// <summary>Cᵞ/(C50ᵞ + Cᵞ), written as 1/(1 + (C50/C)ᵞ) so that large exponents do not overflow.</summary>
    internal static double Fraction(double c, double c50, double hill) => c <= 0 ? 0 : 1 / (1 + Math.Pow(c50 / c, hill));
}
