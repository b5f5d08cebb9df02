namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// Chooses a regimen for an AUC24 target. At steady state a linear model's AUC over a dosing interval is F·Dose/CL
/// whatever its compartments, so AUC24,ss = F·Dose·(24/τ)/CL: for each interval the dose nearest the target's middle
/// (rounded), then the candidate with the highest posterior probability of landing in the target (over draws of the
/// clearance from the patient's posterior), ties to the AUC nearest the middle.
/// </summary>
public static class DoseFinder
{
    /// <summary>Draws from the posterior used to score candidates.</summary>
    public const int PosteriorDraws = 2000;

    /// <summary>AUC24 at steady state (mg·h/L) of <paramref name="regimen"/> for <paramref name="parameters"/>.</summary>
    public static double SteadyStateAuc24(PkParameters parameters, DosingRegimen regimen)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(regimen);
        var f = regimen.Route == DoseRoute.Oral ? parameters.F : 1;
        return f * regimen.DailyDose / parameters.CL;
    }

    /// <summary>The recommendation for a fitted patient (the posterior from <see cref="BayesianEstimator.Fit"/>), deterministic for the seed.</summary>
    public static Result<DoseRecommendation> Recommend(PosteriorFit fit, DoseTarget target, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(target);
        if (target.Problem() is { } problem)
        {
            return Result<DoseRecommendation>.Fail("ValidationFailed", problem);
        }
        var clearances = double.IsFinite(fit.Covariance[0, 0])
            ? BayesianEstimator.Sample(fit, PosteriorDraws, seed).Select(eta => fit.ParametersFor(eta).CL).ToArray()
            : [fit.Parameters.CL];
        return Result<DoseRecommendation>.Ok(Choose(fit.Parameters, clearances, target));
    }

    /// <summary>The recommendation for known parameters (no uncertainty): the typical patient, or a simulated true one.</summary>
    public static DoseRecommendation Recommend(PkParameters parameters, DoseTarget target)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(target);
        return Choose(parameters, [parameters.CL], target);
    }

    private static DoseRecommendation Choose(PkParameters map, double[] clearances, DoseTarget target)
    {
        var candidates = new List<DoseCandidate>();
        foreach (var interval in target.Candidates)
        {
            var ideal = target.Middle * map.CL * interval / 24;
            var amount = Math.Clamp(Math.Round(ideal / target.Rounding) * target.Rounding, target.Rounding, Math.Floor(target.MaxDose / target.Rounding) * target.Rounding);
            var regimen = Vancomycin.Regimen(amount, interval, 1);
            var inTarget = clearances.Count(cl => Within(amount * 24 / interval / cl, target));
            candidates.Add(new DoseCandidate(regimen, SteadyStateAuc24(map, regimen), (double)inTarget / clearances.Length));
        }
        var best = candidates
            .OrderByDescending(c => c.ProbabilityInTarget)
            .ThenBy(c => Math.Abs(c.Auc24 - target.Middle))
            .ThenBy(c => Math.Abs(c.Regimen.Interval - 12))
            .First();
        var aucs = clearances.Select(cl => best.Regimen.DailyDose / cl).Order().ToArray();
        var (peak, trough) = SteadyStatePeakTrough(map, best.Regimen);
        return new DoseRecommendation(best.Regimen, best.Auc24, Quantile(aucs, 0.5), Quantile(aucs, 0.05), Quantile(aucs, 0.95), best.ProbabilityInTarget, peak, trough, candidates);
    }

    /// <summary>The steady-state concentration at the end of the infusion (peak) and just before the next dose (trough).</summary>
    public static (double Peak, double Trough) SteadyStatePeakTrough(PkParameters parameters, DosingRegimen regimen)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(regimen);
        var model = new CompartmentModel(parameters);
        // Enough doses that what is left of the first is below 1e-12 of a dose's contribution (superposition converges geometrically).
        var count = (int)Math.Clamp(Math.Ceiling(40 * model.TerminalHalfLife / regimen.Interval) + 2, 2, 20_000);
        var doses = (regimen with { Count = count, Start = 0 }).Doses();
        var last = (count - 1) * regimen.Interval;
        var peakTime = last + (regimen.Route == DoseRoute.Infusion ? regimen.InfusionDuration : 0);
        return (model.Concentration(doses, peakTime), model.Concentration(doses, last + regimen.Interval));
    }

    private static bool Within(double auc, DoseTarget target) => auc >= target.AucLow && auc <= target.AucHigh;

    private static double Quantile(double[] sorted, double q)
    {
        if (sorted.Length == 1)
        {
            return sorted[0];
        }
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }
}
