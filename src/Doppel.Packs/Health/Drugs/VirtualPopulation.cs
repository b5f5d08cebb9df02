using Doppel.Simulation;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Health.Drugs;

/// <summary>A virtual patient: an id, covariates, the random effects drawn for them, and so their true parameters.</summary>
public sealed record VirtualPatient(int Id, IReadOnlyDictionary<string, double> Covariates, IReadOnlyList<double> Eta, PkParameters Parameters);

/// <summary>
/// Where virtual patients come from: covariates drawn independently from their distributions, creatinine clearance
/// derived by Cockcroft–Gault when asked (from age, weight, sex and serum creatinine, capped as the model's data were),
/// then each patient's random effects from the model's Ω. Patient i depends only on the seed and i.
/// </summary>
/// <param name="Covariates">The drawn covariates.</param>
/// <param name="CockcroftGault">Derive <c>crcl</c> (mL/min) from <c>age</c>, <c>weight</c>, <c>female</c>, <c>scr</c> (mg/dL).</param>
public sealed record VirtualPopulation(IReadOnlyList<CovariateDistribution> Covariates, bool CockcroftGault = false)
{
    /// <summary>Creatinine clearance is capped here (Goti et al. truncated it at 150 mL/min).</summary>
    public const double CrClCap = 150;

    /// <summary>A patient on haemodialysis has end-stage renal disease: their creatinine clearance is at most this (mL/min).</summary>
    public const double DialysisCrClCap = 15;

    public string? Problem()
    {
        if (Covariates.Count == 0)
        {
            return "a population needs at least one covariate distribution";
        }
        if (Covariates.Select(c => c.Problem()).FirstOrDefault(p => p is not null) is { } problem)
        {
            return problem;
        }
        if (Covariates.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != Covariates.Count)
        {
            return "a covariate is listed twice";
        }
        if (CockcroftGault && new[] { "age", "weight", "female", "scr" }.FirstOrDefault(n => Covariates.All(c => c.Name != n)) is { } missing)
        {
            return $"Cockcroft–Gault needs the covariate '{missing}' (age, weight, female, scr)";
        }
        return null;
    }

    /// <summary>Patient <paramref name="index"/> of the population drawn with <paramref name="seed"/>, under <paramref name="model"/>.</summary>
    public VirtualPatient Draw(PopulationModel model, ulong seed, int index)
    {
        ArgumentNullException.ThrowIfNull(model);
        var random = new SimRandom(SeedSequence.Derive(seed, (ulong)index));
        var covariates = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var distribution in Covariates)
        {
            covariates[distribution.Name] = distribution.Sample(random);
        }
        if (CockcroftGault)
        {
            covariates["crcl"] = CreatinineClearance(covariates["age"], covariates["weight"], covariates["female"] >= 0.5, covariates["scr"]);
            if (covariates.TryGetValue("dialysis", out var dialysis) && dialysis >= 0.5)
            {
                covariates["crcl"] = Math.Min(covariates["crcl"], DialysisCrClCap);
            }
        }
        if (model.CovariateProblem(covariates) is { } problem)
        {
            throw new InvalidOperationException($"The population does not give what the model needs: {problem}.");
        }
        var eta = model.SampleEta(random);
        return new VirtualPatient(index, covariates, eta, model.Individual(covariates, eta));
    }

    /// <summary>
    /// Cockcroft–Gault creatinine clearance (mL/min): (140 − age)·weight/(72·SCr), ×0.85 for women, with Goti et al.'s
    /// rules: SCr below 1 mg/dL raised to 1 after age 60, the result capped at 150 mL/min.
    /// </summary>
    public static double CreatinineClearance(double age, double weight, bool female, double scr)
    {
        var creatinine = age > 60 ? Math.Max(scr, 1) : scr;
        var crcl = (140 - age) * weight / (72 * creatinine) * (female ? 0.85 : 1);
        return Math.Clamp(crcl, 1, CrClCap);
    }
}
