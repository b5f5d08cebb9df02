using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Health.Drugs.Internal;

/// <summary>
/// Reads a drug-trial document; each replication of the run is one virtual patient, the same in every arm.
/// <code>
/// kind: drug-trial
/// model: vancomycin-goti-2018
/// population: { dialysis: 0.185 }          # the share on haemodialysis
/// regimens:
///   - { name: weight-based, mgPerKg: 15, interval: 12 }
///   - { name: flat-1g, dose: 1000, interval: 12 }
///   - { name: guided, guided: true }
/// target: { low: 400, high: 600 }
/// assay: { additive: 0.5, proportional: 0.05 }   # or: model (the model's residual error)
/// run: { replications: 500, seed: 1 }
/// </code>
/// </summary>
internal static class DrugTrialReader
{
    public static readonly string[] Keys = ["model", "population", "regimens", "target", "assay"];

    public static DrugTrialPlan Read(DocumentMap root, RunSettings run)
    {
        var modelNode = root.Required("model", "a shipped population model").ExpectScalar("a model's name");
        var found = DrugModels.Find(modelNode.Text);
        var model = found.IsSuccess ? found.Value : throw modelNode.Error(found.Error!.Message);
        var population = root.Map("population", "a mapping: { dialysis }")?.Allow("dialysis");
        var dialysis = population?.Number("dialysis") ?? 0.185;
        if (dialysis is < 0 or > 1)
        {
            throw population!.Required("dialysis", "").Error($"is a share from 0 to 1, got {dialysis}");
        }
        var list = root.Required("regimens", "the arms: a list of { name, dose or mgPerKg, interval } or { name, guided: true }").ExpectList("a list of regimens");
        if (list.Count == 0)
        {
            throw list.Error("lists no regimen");
        }
        var regimens = new List<TrialRegimen>();
        foreach (var item in list.Items)
        {
            var map = item.ExpectMap("a regimen: { name, dose or mgPerKg, interval } or { name, guided: true }").Allow("name", "dose", "mgPerKg", "interval", "guided");
            var regimen = new TrialRegimen(map.Required("name", "the arm's name").ExpectScalar("a text").Text, map.Number("dose"), map.Number("mgPerKg"), map.Number("interval") ?? 12, map.Boolean("guided") ?? false);
            if (regimen.Problem() is { } problem)
            {
                throw map.Error(problem);
            }
            if (regimens.Any(r => r.Name == regimen.Name))
            {
                throw map.Required("name", "").Error($"'{regimen.Name}' is listed twice");
            }
            regimens.Add(regimen);
        }
        var target = DosingCaseReader.ReadTarget(root.Map("target", "a mapping: { low, high, rounding, maxDose, intervals }"));
        var assay = ReadAssay(root["assay"], model);
        return new DrugTrialPlan(model, DrugModels.PopulationFor(model, dialysis), regimens, target, assay, run);
    }

    /// <summary><c>model</c> (the model's own residual error) or { additive, proportional }; absent: the default assay.</summary>
    public static ResidualError ReadAssay(DocumentNode? node, PopulationModel model)
    {
        if (node is null)
        {
            return AttainmentOptions.DefaultAssay;
        }
        if (node is DocumentScalar scalar)
        {
            return scalar.Text == "model" ? model.Residual : throw node.Error($"is 'model' or {{ additive, proportional }}, not '{scalar.Text}'");
        }
        var map = node.ExpectMap("'model' or { additive, proportional }").Allow("additive", "proportional");
        var assay = new ResidualError(map.Number("additive") ?? 0, map.Number("proportional") ?? 0);
        return assay.Problem() is { } problem ? throw map.Error(problem) : assay;
    }
}
