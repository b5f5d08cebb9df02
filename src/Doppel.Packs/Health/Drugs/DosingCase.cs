namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// A patient as a dosing document gives them: the population model (or fixed parameters), covariates, the doses given,
/// the measured levels, the target, and for simulation the times to report and an optional PD model.
/// </summary>
public sealed record DosingCase(
    PopulationModel? Model,
    PkParameters? Fixed,
    IReadOnlyDictionary<string, double> Covariates,
    IReadOnlyList<double> Eta,
    IReadOnlyList<Dose> Doses,
    IReadOnlyList<Level> Levels,
    DoseTarget Target,
    IReadOnlyList<double> Times,
    EmaxModel? Emax,
    IndirectResponseModel? Indirect)
{
    /// <summary>The parameters to simulate with: the fixed ones, or the model's individual for the covariates and η (0: typical).</summary>
    public PkParameters Parameters => Fixed ?? Model!.Individual(Covariates, Eta.Count == 0 ? [] : Eta.ToArray());
}
