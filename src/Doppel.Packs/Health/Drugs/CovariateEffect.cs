namespace Doppel.Packs.Health.Drugs;

/// <summary>How a covariate scales a typical parameter value.</summary>
public enum CovariateForm
{
    /// <summary>(x/reference)^coefficient: allometric weight, creatinine clearance.</summary>
    Power,

    /// <summary>1 + coefficient·(x − reference).</summary>
    Linear,

    /// <summary>exp(coefficient·(x − reference)).</summary>
    Exponential,

    /// <summary>coefficient^x for an indicator x ∈ {0, 1} (dialysis: 0.7 on clearance).</summary>
    Factor,
}

/// <summary>
/// One covariate's effect on a parameter: the form, its coefficient and reference, and an optional cap on the covariate
/// (creatinine clearance truncated at 150 mL/min, as Goti et al. did).
/// </summary>
public sealed record CovariateEffect(string Covariate, CovariateForm Form, double Coefficient, double Reference = 1, double? Cap = null)
{
    /// <summary>The multiplier for the covariate's value <paramref name="x"/>.</summary>
    public double Multiplier(double x)
    {
        if (Cap is { } cap)
        {
            x = Math.Min(x, cap);
        }
        return Form switch
        {
            CovariateForm.Power => Math.Pow(x / Reference, Coefficient),
            CovariateForm.Linear => 1 + (Coefficient * (x - Reference)),
            CovariateForm.Exponential => Math.Exp(Coefficient * (x - Reference)),
            _ => Math.Pow(Coefficient, x),
        };
    }

    /// <summary>The effect as a formula, for documents and tables.</summary>
    public override string ToString() => Form switch
    {
        CovariateForm.Power => FormattableString.Invariant($"({Covariate}/{Reference:G})^{Coefficient:G}"),
        CovariateForm.Linear => FormattableString.Invariant($"(1 + {Coefficient:G}·({Covariate} − {Reference:G}))"),
        CovariateForm.Exponential => FormattableString.Invariant($"exp({Coefficient:G}·({Covariate} − {Reference:G}))"),
        _ => FormattableString.Invariant($"{Coefficient:G}^{Covariate}"),
    } + (Cap is { } cap ? FormattableString.Invariant($" [{Covariate} ≤ {cap:G}]") : "");
}
