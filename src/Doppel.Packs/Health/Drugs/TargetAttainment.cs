using Doppel.Simulation;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Health.Drugs;

/// <summary>How a target-attainment study runs: the cohort's size and seed, the target, and the empirical start.</summary>
/// <param name="Patients">Virtual patients.</param>
/// <param name="Seed">Patient i depends only on the seed and i.</param>
/// <param name="Target">The AUC24 window and the doses and intervals a recommendation may use.</param>
/// <param name="MgPerKg">The weight-based start (mg/kg a dose).</param>
/// <param name="StandardInterval">Its interval (h).</param>
/// <param name="Assay">The error of a measured level, used both to measure and to fit; null for the model's own residual error.</param>
/// <param name="SteadyStateHalfLives">The pair of levels is drawn once this many typical half-lives have passed (<see cref="TargetAttainment.LevelTimes"/>).</param>
public sealed record AttainmentOptions(int Patients = 1000, ulong Seed = 1, DoseTarget? Target = null, double MgPerKg = 15, double StandardInterval = 12, ResidualError? Assay = null,
    double SteadyStateHalfLives = TargetAttainment.SteadyStateHalfLives)
{
    /// <summary>
    /// The assay error assumed unless told otherwise: 5% and 0.5 mg/L, the order of vancomycin immunoassays' total
    /// imprecision (our assumption, stated in docs/health-drugs.md; Goti's 22.7% + 3.4 mg/L residual also holds the model's
    /// misspecification and the clinical data's timing errors, which a virtual patient does not have).
    /// </summary>
    public static ResidualError DefaultAssay { get; } = new(0.5, 0.05);

    public DoseTarget DoseTarget => Target ?? new DoseTarget();

    public string? Problem() =>
        Patients is < 1 or > 1_000_000 ? $"the cohort must have 1 to 1000000 patients, got {Patients}"
        : !(double.IsFinite(MgPerKg) && MgPerKg > 0) ? $"the weight-based dose must be more than 0 mg/kg, got {MgPerKg}"
        : !(double.IsFinite(StandardInterval) && StandardInterval > 0) ? $"the standard interval must be more than 0 h, got {StandardInterval}"
        : !(double.IsFinite(SteadyStateHalfLives) && SteadyStateHalfLives is >= 0 and <= 20) ? $"the levels are drawn after 0 to 20 half-lives, got {SteadyStateHalfLives}"
        : Assay?.Problem() ?? DoseTarget.Problem();
}

/// <summary>One virtual patient through the study: the weight-based start, the levels measured on it, the posterior, the adjusted regimen, and the true steady-state AUC24 of each.</summary>
public sealed record AttainmentOutcome(VirtualPatient Patient, DosingRegimen Standard, double StandardAuc24, IReadOnlyList<Level> Levels, PosteriorFit Fit, DoseRecommendation Recommendation, double GuidedAuc24)
{
    public bool StandardInTarget(DoseTarget target) => StandardAuc24 >= target.AucLow && StandardAuc24 <= target.AucHigh;

    public bool GuidedInTarget(DoseTarget target) => GuidedAuc24 >= target.AucLow && GuidedAuc24 <= target.AucHigh;
}

/// <summary>A share of the cohort with its 95% Wilson score interval.</summary>
public sealed record Proportion(int Count, int Total)
{
    public double Value => Total == 0 ? double.NaN : (double)Count / Total;

    public (double Lower, double Upper) Interval95
    {
        get
        {
            const double z = 1.959963984540054;
            var n = (double)Total;
            var p = Value;
            var centre = (p + (z * z / (2 * n))) / (1 + (z * z / n));
            var half = z / (1 + (z * z / n)) * Math.Sqrt((p * (1 - p) / n) + (z * z / (4 * n * n)));
            return (centre - half, centre + half);
        }
    }
}

/// <summary>The study's outcome: per patient, and the shares in, below and above the target under each regimen.</summary>
public sealed record AttainmentResult(AttainmentOptions Options, IReadOnlyList<AttainmentOutcome> Outcomes)
{
    public Proportion StandardInTarget => Share(o => o.StandardInTarget(Options.DoseTarget));

    public Proportion GuidedInTarget => Share(o => o.GuidedInTarget(Options.DoseTarget));

    public Proportion StandardBelow => Share(o => o.StandardAuc24 < Options.DoseTarget.AucLow);

    public Proportion StandardAbove => Share(o => o.StandardAuc24 > Options.DoseTarget.AucHigh);

    public Proportion GuidedBelow => Share(o => o.GuidedAuc24 < Options.DoseTarget.AucLow);

    public Proportion GuidedAbove => Share(o => o.GuidedAuc24 > Options.DoseTarget.AucHigh);

    private Proportion Share(Func<AttainmentOutcome, bool> test) => new(Outcomes.Count(test), Outcomes.Count);
}

/// <summary>
/// Target attainment on a virtual population, the standard beside the guided: each patient (covariates, true random
/// effects) starts on weight-based dosing; three levels are measured on it (<see cref="LevelTimes"/>) with the assay's
/// error; the MAP posterior from those levels
/// chooses a new regimen (<see cref="DoseFinder"/>); and the patient's true steady-state AUC24 is computed under both.
/// The share within the target after that one adjustment is the figure of merit, beside the weight-based start's.
/// </summary>
public static class TargetAttainment
{
    public static AttainmentResult Run(PopulationModel model, VirtualPopulation population, AttainmentOptions options, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(options);
        if ((options.Problem() ?? population.Problem()) is { } problem)
        {
            throw new ArgumentException($"The study cannot run: {problem}.", nameof(options));
        }
        var measured = options.Assay is { } assay ? model.WithResidual(assay) : model;
        var outcomes = new AttainmentOutcome[options.Patients];
        var done = 0;
        Parallel.For(0, options.Patients, new ParallelOptions { CancellationToken = ct }, i =>
        {
            outcomes[i] = One(measured, population, options, i);
            progress?.Report(Interlocked.Increment(ref done));
        });
        return new AttainmentResult(options, outcomes);
    }

    /// <summary>Patient <paramref name="index"/>: deterministic for the seed, whatever runs beside it.</summary>
    public static AttainmentOutcome One(PopulationModel model, VirtualPopulation population, AttainmentOptions options, int index)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Assay is { } assay && model.Residual != assay)
        {
            model = model.WithResidual(assay);
        }
        var patient = population.Draw(model, options.Seed, index);
        var weight = patient.Covariates.TryGetValue("weight", out var w) ? w : 70;
        var standard = Vancomycin.WeightBased(weight, 1, options.MgPerKg, options.StandardInterval);
        var typical = new CompartmentModel(model.Typical(patient.Covariates));
        var times = LevelTimes(standard, typical.TerminalHalfLife, options.SteadyStateHalfLives);
        var standardDoses = (standard with { Count = (int)Math.Ceiling(times[^1] / standard.Interval) + 1 }).Doses();
        var truth = new CompartmentModel(patient.Parameters);
        var random = new SimRandom(SeedSequence.Derive(options.Seed ^ 0x5EED, (ulong)index));
        IReadOnlyList<Level> levels = [.. times.Select(t => new Level(t, model.Residual.Sample(truth.Concentration(standardDoses, t), random)))];
        var fit = BayesianEstimator.Fit(model, patient.Covariates, standardDoses, levels);
        if (!fit.IsSuccess)
        {
            throw new InvalidOperationException($"Patient {index} could not be fitted: {fit.Error.Message}");
        }
        var recommendation = DoseFinder.Recommend(fit.Value, options.DoseTarget, SeedSequence.Derive(options.Seed ^ 0xD05E, (ulong)index));
        if (!recommendation.IsSuccess)
        {
            throw new InvalidOperationException($"No regimen for patient {index}: {recommendation.Error.Message}");
        }
        return new AttainmentOutcome(patient, standard with { Count = standardDoses.Count }, DoseFinder.SteadyStateAuc24(patient.Parameters, standard), levels, fit.Value, recommendation.Value,
            DoseFinder.SteadyStateAuc24(patient.Parameters, recommendation.Value.Regimen));
    }

    /// <summary>Half-lives after which a regimen is taken to be at steady state (the textbook 4–5: 97% of it after 5).</summary>
    public const double SteadyStateHalfLives = 5;

    /// <summary>
    /// When the levels are drawn on the regimen (h): 1 h after the first infusion ends, then a peak (1 h after the
    /// infusion ends) and a trough (30 min before the next dose) around the dose given once the regimen is at steady state,
    /// which the clinician predicts from the typical patient with these covariates: five terminal half-lives, at the 4th
    /// dose at the earliest. At steady state the AUC over an interval is Dose/CL whatever the volumes, which is what
    /// makes the pair informative about clearance (earlier, a large peripheral volume still filling looks like clearance).
    /// </summary>
    public static double[] LevelTimes(DosingRegimen regimen, double typicalHalfLife, double halfLives = SteadyStateHalfLives)
    {
        ArgumentNullException.ThrowIfNull(regimen);
        var infusion = regimen.Route == DoseRoute.Infusion ? regimen.InfusionDuration : 0;
        var settled = Math.Max(3, Math.Ceiling(halfLives * typicalHalfLife / regimen.Interval));
        var start = regimen.Start + (settled * regimen.Interval);
        return [regimen.Start + infusion + 1, start + infusion + 1, start + regimen.Interval - 0.5];
    }
}
