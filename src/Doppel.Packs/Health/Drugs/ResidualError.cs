using Doppel.Simulation;

namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// The residual error of a measured level: y = f·(1 + ε_prop) + ε_add, so Var(y) = σ_add² + (σ_prop·f)². Additive only,
/// proportional only and combined are the cases where one or both are non-zero.
/// </summary>
/// <param name="Additive">σ_add (mg/L).</param>
/// <param name="Proportional">σ_prop (a fraction: 0.227 is 22.7%).</param>
public sealed record ResidualError(double Additive, double Proportional)
{
    public string? Problem() =>
        !(double.IsFinite(Additive) && Additive >= 0 && double.IsFinite(Proportional) && Proportional >= 0) ? $"the residual error's standard deviations must be 0 or more, got additive {Additive}, proportional {Proportional}"
        : Additive == 0 && Proportional == 0 ? "the residual error needs an additive or a proportional part (or both)"
        : null;

    /// <summary>"additive", "proportional" or "combined".</summary>
    public string Kind => Additive > 0 && Proportional > 0 ? "combined" : Additive > 0 ? "additive" : "proportional";

    /// <summary>The variance of a level whose prediction is <paramref name="prediction"/>.</summary>
    public double Variance(double prediction) => (Additive * Additive) + (Proportional * Proportional * prediction * prediction);

    /// <summary>A measured level: the prediction with its error drawn from <paramref name="random"/>, never below 0.</summary>
    public double Sample(double prediction, SimRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Math.Max(0, (prediction * (1 + random.Normal(0, Proportional))) + random.Normal(0, Additive));
    }
}
