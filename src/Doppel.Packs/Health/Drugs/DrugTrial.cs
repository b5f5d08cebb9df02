using System.Text.Json.Nodes;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// One arm of a drug trial: a fixed dose or a dose per kilogram every interval, or the level-guided adjustment
/// (<see cref="Guided"/>: the weight-based start, three levels, the MAP posterior, the recommended regimen).
/// </summary>
public sealed record TrialRegimen(string Name, double? Dose, double? MgPerKg, double Interval, bool Guided = false)
{
    public string? Problem() =>
        string.IsNullOrWhiteSpace(Name) ? "a regimen needs a name"
        : Guided ? null
        : (Dose is null) == (MgPerKg is null) ? $"regimen '{Name}': give 'dose' (mg) or 'mgPerKg', one of them"
        : Dose is { } d && !(double.IsFinite(d) && d > 0) ? $"regimen '{Name}': the dose must be more than 0 mg, got {d}"
        : MgPerKg is { } k && !(double.IsFinite(k) && k > 0) ? $"regimen '{Name}': mgPerKg must be more than 0, got {k}"
        : !(double.IsFinite(Interval) && Interval > 0) ? $"regimen '{Name}': the interval must be more than 0 h, got {Interval}"
        : null;

    /// <summary>The regimen this arm gives a patient of <paramref name="weight"/> kg (not for the guided arm).</summary>
    public DosingRegimen For(double weight) => Dose is { } dose
        ? Vancomycin.Regimen(dose, Interval, 1)
        : Vancomycin.WeightBased(weight, 1, MgPerKg!.Value, Interval);
}

/// <summary>A drug trial: regimens compared on one virtual cohort (each replication is one patient, the same in every arm).</summary>
public sealed record DrugTrialPlan(PopulationModel Model, VirtualPopulation Population, IReadOnlyList<TrialRegimen> Regimens, DoseTarget Target, ResidualError Assay, RunSettings Run)
{
    public string? Problem()
    {
        if (Regimens.Count == 0)
        {
            return "a trial needs at least one regimen";
        }
        if (Regimens.Select(r => r.Problem()).FirstOrDefault(p => p is not null) is { } problem)
        {
            return problem;
        }
        if (Regimens.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count() != Regimens.Count)
        {
            return "two regimens have the same name";
        }
        return Target.Problem() ?? Assay.Problem() ?? Population.Problem();
    }
}

/// <summary>
/// In-silico drug trials: every arm on the same virtual patients (common random numbers), each patient's true
/// steady-state AUC24 and trough under the arm's regimen; the shares in, below and above the target with 95% confidence
/// intervals, and each arm's paired difference from the first.
/// </summary>
public static class DrugTrial
{
    /// <summary>How hosts print a trial: KPIs per arm, the share in target and AUC24 compared with the first arm.</summary>
    public static ResultView View { get; } = new()
    {
        Columns =
        [
            new KpiColumn("inTarget", "in target"),
            new KpiColumn("below", "below"),
            new KpiColumn("above", "above"),
            new KpiColumn("auc24", "AUC24"),
            new KpiColumn("trough", "trough"),
            new KpiColumn("dailyDose", "mg/day"),
        ],
        Compared = [new KpiColumn("inTarget", "in target"), new KpiColumn("auc24", "AUC24")],
        Plot = new ResultPlot("inTarget", "Share of patients with AUC24 in the target", "share"),
    };

    public static ExperimentResult Run(DrugTrialPlan plan, IProgress<ExperimentProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Problem() is { } problem)
        {
            throw new ArgumentException($"The trial cannot run: {problem}.", nameof(plan));
        }
        var measured = plan.Model.WithResidual(plan.Assay);
        var attainment = new AttainmentOptions(Patients: 1, Seed: plan.Run.Seed, Target: plan.Target, Assay: plan.Assay);
        var runner = new ExperimentRunner(new ExperimentOptions { Seed = plan.Run.Seed, Replications = plan.Run.Replications, CommonRandomNumbers = true });
        var arms = plan.Regimens.ToDictionary(r => r.Name, StringComparer.Ordinal);
        return runner.Run([.. plan.Regimens.Select(r => new Scenario(r.Name))], (context, _) =>
        {
            var arm = arms[context.Scenario.Name];
            VirtualPatient patient;
            DosingRegimen regimen;
            if (arm.Guided)
            {
                var outcome = TargetAttainment.One(measured, plan.Population, attainment, context.Index);
                (patient, regimen) = (outcome.Patient, outcome.Recommendation.Regimen);
            }
            else
            {
                patient = plan.Population.Draw(plan.Model, plan.Run.Seed, context.Index);
                regimen = arm.For(patient.Covariates.GetValueOrDefault("weight", 70));
            }
            var auc = DoseFinder.SteadyStateAuc24(patient.Parameters, regimen);
            var (_, trough) = DoseFinder.SteadyStatePeakTrough(patient.Parameters, regimen);
            return new Dictionary<string, double>
            {
                ["inTarget"] = auc >= plan.Target.AucLow && auc <= plan.Target.AucHigh ? 1 : 0,
                ["below"] = auc < plan.Target.AucLow ? 1 : 0,
                ["above"] = auc > plan.Target.AucHigh ? 1 : 0,
                ["auc24"] = auc,
                ["trough"] = trough,
                ["dailyDose"] = regimen.DailyDose,
            };
        }, progress, ct);
    }

    /// <summary>The result in <see cref="ExperimentJson"/>'s shape, compared with the first arm, with the trial's settings.</summary>
    public static JsonObject ToJson(DrugTrialPlan plan, ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var json = ExperimentJson.Write(result, View with { Baseline = plan.Regimens[0].Name });
        json["model"] = plan.Model.Name;
        json["citation"] = plan.Model.Citation;
        json["target"] = new JsonObject { ["low"] = plan.Target.AucLow, ["high"] = plan.Target.AucHigh };
        json["baseline"] = plan.Regimens[0].Name;
        json["patients"] = plan.Run.Replications;
        return json;
    }
}
