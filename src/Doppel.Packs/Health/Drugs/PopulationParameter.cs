namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// A structural parameter of a population model (CL, V1, Q2, V2, Q3, V3, KA, F, LAG): its typical value for the
/// reference patient, the covariate effects that scale it, and the random effect (an index into the model's η) that
/// makes it individual: θᵢ = θ·Π effects·exp(ηₖ).
/// </summary>
public sealed record PopulationParameter(string Name, double Typical, IReadOnlyList<CovariateEffect> Effects, int? Eta = null);
