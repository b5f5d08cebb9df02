namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// The regimen recommended for a patient and what the posterior says of it: the steady-state AUC24 at the MAP estimate,
/// its posterior median and 90% interval, the posterior probability that it falls in the target, and the steady-state
/// peak (end of infusion) and trough; with every candidate regimen considered.
/// </summary>
public sealed record DoseRecommendation(DosingRegimen Regimen, double Auc24, double Auc24Median, double Auc24Lower, double Auc24Upper, double ProbabilityInTarget, double Peak, double Trough, IReadOnlyList<DoseCandidate> Candidates);

/// <summary>One candidate regimen: its steady-state AUC24 at the MAP estimate and the posterior probability of the target.</summary>
public sealed record DoseCandidate(DosingRegimen Regimen, double Auc24, double ProbabilityInTarget);
