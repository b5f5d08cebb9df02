namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// Vancomycin as a shipped population model: Goti V, Chaturvedula A, Fossler MJ, Mok S, Jacob JT. Hospitalized patients
/// with and without hemodialysis have markedly different vancomycin pharmacokinetics: a population pharmacokinetic
/// model-based analysis. Ther Drug Monit 2018;40(2):212–221 (doi:10.1097/FTD.0000000000000490); 1,812 hospitalised
/// adults, 2,765 concentrations, 18.5% on intermittent haemodialysis. Values from its Table 2 (final model), as the
/// nlmixr2lib model library encodes them (inst/modeldb/specificDrugs/Goti_2018_vancomycin.R).
/// </summary>
public static class Vancomycin
{
    public const string ModelName = "vancomycin-goti-2018";

    public const string Citation = "Goti V, Chaturvedula A, Fossler MJ, Mok S, Jacob JT. Hospitalized patients with and without hemodialysis have markedly different vancomycin pharmacokinetics: a population pharmacokinetic model-based analysis. Ther Drug Monit 2018;40(2):212-221. doi:10.1097/FTD.0000000000000490";

    /// <summary>
    /// The two-compartment model:
    /// CL = 4.5 L/h·(CrCL/120)^0.8·0.7^DIAL (CrCL Cockcroft–Gault, mL/min, truncated at 150);
    /// Vc = 58.4 L·(WT/70)·0.5^DIAL; Vp = 38.4 L·(WT/70); Q = 6.5 L/h.
    /// IIV (log-normal, diagonal Ω = ln(CV² + 1)): CL 39.8% → 0.14705, Vc 81.6% → 0.51019, Vp 57.1% → 0.28232.
    /// Residual error: additive 3.4 mg/L and proportional 22.7%.
    /// Covariates: <c>crcl</c> (mL/min), <c>weight</c> (kg), <c>dialysis</c> (0 or 1).
    /// </summary>
    public static PopulationModel Goti2018 { get; } = new(
        ModelName,
        "Vancomycin in hospitalised adults with and without haemodialysis: two compartments, CL from creatinine clearance and dialysis, volumes from weight (Vc also from dialysis).",
        Citation,
        compartments: 2,
        parameters:
        [
            new PopulationParameter("CL", 4.5, [new CovariateEffect("crcl", CovariateForm.Power, 0.8, 120, Cap: 150), new CovariateEffect("dialysis", CovariateForm.Factor, 0.7)], Eta: 0),
            new PopulationParameter("V1", 58.4, [new CovariateEffect("weight", CovariateForm.Power, 1, 70), new CovariateEffect("dialysis", CovariateForm.Factor, 0.5)], Eta: 1),
            new PopulationParameter("V2", 38.4, [new CovariateEffect("weight", CovariateForm.Power, 1, 70)], Eta: 2),
            new PopulationParameter("Q2", 6.5, []),
        ],
        etaNames: ["eta_CL", "eta_V1", "eta_V2"],
        omega: new double[,] { { 0.14705, 0, 0 }, { 0, 0.51019, 0 }, { 0, 0, 0.28232 } },
        residual: new ResidualError(Additive: 3.4, Proportional: 0.227));

    /// <summary>
    /// Hospitalised adults like Goti et al.'s (their Table 1: median age 57, weight 79 kg (33–255), 46.5% women, 18.5% on
    /// haemodialysis): age normal 57 ± 17 in [18, 95], weight log-normal median 79 kg (σ 0.25) in [40, 200], serum
    /// creatinine log-normal median 1.0 mg/dL (σ 0.45) in [0.4, 6], CrCL by Cockcroft–Gault capped at 150.
    /// <paramref name="dialysisShare"/> of them are on haemodialysis (CrCL ≤ 15).
    /// </summary>
    public static VirtualPopulation HospitalAdults(double dialysisShare = 0.185) => new(
        [
            new CovariateDistribution("age", DistributionKind.Normal, 57, 17, 18, 95),
            new CovariateDistribution("weight", DistributionKind.LogNormal, 79, 0.25, 40, 200),
            new CovariateDistribution("female", DistributionKind.Bernoulli, 0.465),
            new CovariateDistribution("scr", DistributionKind.LogNormal, 1.0, 0.45, 0.4, 6),
            new CovariateDistribution("dialysis", DistributionKind.Bernoulli, dialysisShare),
        ],
        CockcroftGault: true);

    /// <summary>The usual empirical start: 15 mg/kg every 12 h, rounded to 250 mg, at most 2,000 mg a dose.</summary>
    public static DosingRegimen WeightBased(double weight, int count = 4, double mgPerKg = 15, double interval = 12) =>
        Regimen(Math.Min(2000, Math.Max(250, Math.Round(weight * mgPerKg / 250) * 250)), interval, count);

    /// <summary>A regimen of intravenous infusions at no more than 1,000 mg/h (at least 1 h), the usual rate limit against the infusion reaction.</summary>
    public static DosingRegimen Regimen(double amount, double interval, int count, double start = 0) =>
        new(amount, interval, count, DoseRoute.Infusion, Math.Min(interval, Math.Max(1, Math.Ceiling(amount / 500) / 2)), start);
}
