using System.Globalization;

namespace Doppel.Packs.Health.Drugs.Internal;

/// <summary>
/// Reads a dosing document (YAML or JSON); every error names the line and key at fault.
/// <code>
/// model: vancomycin-goti-2018            # or parameters: { compartments: 2, CL: 4.5, V1: 58.4, Q2: 6.5, V2: 38.4 }
/// patient: { weight: 80, crcl: 90, dialysis: 0 }   # or age, female, scr for Cockcroft–Gault
/// regimen: { dose: 1000, interval: 12, count: 4, route: infusion, duration: 1 }
/// doses: [ { time: 48, amount: 1250, route: infusion, duration: 1.5 } ]
/// levels: [ { time: 38, value: 31.2 }, { time: 47.5, value: 14.1 } ]
/// target: { low: 400, high: 600, rounding: 250, maxDose: 3000, intervals: [8, 12, 24, 36, 48] }
/// times: { from: 0, to: 72, step: 0.5 }      # or a list of hours
/// eta: [0.1, 0, 0]
/// pd: { emax: { e0: 0, emax: 100, ec50: 10, hill: 1 } }   # or { indirect: { type: 1, kin: 10, kout: 0.5, max: 0.8, c50: 15 } }
/// </code>
/// </summary>
internal static class DosingCaseReader
{
    public static readonly string[] Keys = ["model", "parameters", "patient", "regimen", "doses", "levels", "target", "times", "eta", "pd"];

    public static DosingCase Read(DocumentMap root, bool needsModel, PopulationModel? defaultModel = null)
    {
        // A file for POST /doppel/experiments (kind, name, run) reads the same with doppel pk.
        root.Allow([.. Keys, "kind", "name", "run"]);
        PopulationModel? model = null;
        PkParameters? fixedParameters = null;
        if (root["model"] is { } modelNode)
        {
            var name = modelNode.ExpectScalar("a model's name").Text;
            var found = DrugModels.Find(name);
            model = found.IsSuccess ? found.Value : throw modelNode.Error(found.Error!.Message);
        }
        if (root.Map("parameters", "a mapping: { compartments, CL, V1, Q2, V2, Q3, V3, KA, F, LAG }") is { } parameters)
        {
            if (model is not null)
            {
                throw parameters.Error("give 'model' or 'parameters', not both");
            }
            fixedParameters = ReadParameters(parameters);
        }
        if (model is null && fixedParameters is null && defaultModel is not null)
        {
            model = defaultModel;
        }
        if (model is null && (needsModel || fixedParameters is null))
        {
            throw root.Error(needsModel
                ? $"'model' is required: the population model whose prior the levels update ({string.Join(", ", DrugModels.All.Select(m => m.Name))})"
                : "'model' (a shipped population model) or 'parameters' (compartments, CL, V1, ...) is required");
        }
        var covariates = ReadPatient(root.Map("patient", "a mapping of covariates: { weight, crcl, dialysis } or { weight, age, female, scr, dialysis }"));
        if (model?.CovariateProblem(covariates) is { } covariateProblem)
        {
            throw (root["patient"] ?? root).Error(covariateProblem);
        }
        var eta = root.List("eta", "a list of random effects")?.Numbers() ?? [];
        if (eta.Count > 0 && (model is null || eta.Count != model.EtaCount))
        {
            throw root.Required("eta", "").Error(model is null ? "random effects need a population 'model'" : $"the model has {model.EtaCount} random effects ({string.Join(", ", model.EtaNames)}), got {eta.Count}");
        }
        var doses = new List<Dose>();
        if (root.Map("regimen", "a mapping: { dose, interval, count, route, duration, start }") is { } regimenNode)
        {
            doses.AddRange(ReadRegimen(regimenNode).Doses());
        }
        if (root.List("doses", "a list of { time, amount, route, duration }") is { } list)
        {
            foreach (var item in list.Items)
            {
                var map = item.ExpectMap("a dose: { time, amount, route, duration }").Allow("time", "amount", "route", "duration");
                var route = ReadRoute(map, DoseRoute.Infusion);
                var dose = new Dose(map.Required("time", "hours from the first dose").ExpectScalar("a number").Number(), map.Required("amount", "mg").ExpectScalar("a number").Number(), route, map.Number("duration") ?? (route == DoseRoute.Infusion ? 1 : 0));
                if (dose.Problem() is { } problem)
                {
                    throw map.Error(problem);
                }
                doses.Add(dose);
            }
        }
        if (doses.Count == 0)
        {
            throw root.Error("'regimen' or 'doses' is required: what the patient was given");
        }
        doses.Sort((a, b) => a.Time.CompareTo(b.Time));
        var parametersUsed = fixedParameters ?? model!.Typical(covariates);
        if (parametersUsed.Problem(oral: doses.Any(d => d.Route == DoseRoute.Oral)) is { } parameterProblem)
        {
            throw (root["parameters"] ?? root["model"] ?? root).Error(parameterProblem);
        }
        var levels = new List<Level>();
        if (root.List("levels", "a list of { time, value }") is { } levelList)
        {
            foreach (var item in levelList.Items)
            {
                var map = item.ExpectMap("a level: { time, value }").Allow("time", "value");
                var level = new Level(map.Required("time", "hours on the dosing clock").ExpectScalar("a number").Number(), map.Required("value", "mg/L").ExpectScalar("a number").Number());
                if (level.Problem() is { } problem)
                {
                    throw map.Error(problem);
                }
                levels.Add(level);
            }
        }
        var target = ReadTarget(root.Map("target", "a mapping: { low, high, rounding, maxDose, intervals }"));
        var times = ReadTimes(root["times"], doses);
        var (emax, indirect) = ReadPd(root.Map("pd", "a mapping with 'emax' or 'indirect'"));
        return new DosingCase(model, fixedParameters, covariates, eta, doses, levels, target, times, emax, indirect);
    }

    public static PkParameters ReadParameters(DocumentMap map)
    {
        map.Allow("compartments", "CL", "V1", "Q2", "V2", "Q3", "V3", "KA", "F", "LAG");
        var p = new PkParameters(map.Integer("compartments") ?? 1, map.Required("CL", "clearance, L/h").ExpectScalar("a number").Number(), map.Required("V1", "central volume, L").ExpectScalar("a number").Number(),
            map.Number("Q2") ?? 0, map.Number("V2") ?? 0, map.Number("Q3") ?? 0, map.Number("V3") ?? 0, map.Number("KA") ?? 0, map.Number("F") ?? 1, map.Number("LAG") ?? 0);
        return p.Problem() is { } problem ? throw map.Error(problem) : p;
    }

    public static DosingRegimen ReadRegimen(DocumentMap map)
    {
        map.Allow("dose", "interval", "count", "route", "duration", "start");
        var route = ReadRoute(map, DoseRoute.Infusion);
        var regimen = new DosingRegimen(map.Required("dose", "mg a dose").ExpectScalar("a number").Number(), map.Required("interval", "hours between doses").ExpectScalar("a number").Number(),
            map.Integer("count") ?? 1, route, map.Number("duration") ?? 1, map.Number("start") ?? 0);
        return regimen.Problem() is { } problem ? throw map.Error(problem) : regimen;
    }

    public static DoseTarget ReadTarget(DocumentMap? map)
    {
        if (map is null)
        {
            return new DoseTarget();
        }
        map.Allow("low", "high", "rounding", "maxDose", "intervals");
        var defaults = new DoseTarget();
        var target = new DoseTarget(map.Number("low") ?? defaults.AucLow, map.Number("high") ?? defaults.AucHigh, map.Number("rounding") ?? defaults.Rounding, map.Number("maxDose") ?? defaults.MaxDose,
            map.List("intervals", "a list of hours")?.Numbers());
        return target.Problem() is { } problem ? throw map.Error(problem) : target;
    }

    private static Dictionary<string, double> ReadPatient(DocumentMap? map)
    {
        var covariates = new Dictionary<string, double>(StringComparer.Ordinal);
        if (map is null)
        {
            return covariates;
        }
        foreach (var (key, value) in map.Entries)
        {
            var scalar = value.ExpectScalar("a number (or true/false)");
            var number = scalar.Text is "true" or "false" ? (scalar.Boolean() ? 1 : 0) : scalar.Number();
            if (!double.IsFinite(number) || number < 0)
            {
                throw value.Error($"must be a finite number, 0 or more, got {scalar.Text}");
            }
            covariates[key.Text] = number;
        }
        if (!covariates.ContainsKey("crcl") && covariates.TryGetValue("age", out var age) && covariates.TryGetValue("weight", out var weight) && covariates.TryGetValue("scr", out var scr))
        {
            if (scr <= 0)
            {
                throw map.Required("scr", "").Error("serum creatinine must be more than 0 mg/dL");
            }
            covariates["crcl"] = VirtualPopulation.CreatinineClearance(age, weight, covariates.GetValueOrDefault("female") >= 0.5, scr);
            if (covariates.GetValueOrDefault("dialysis") >= 0.5)
            {
                covariates["crcl"] = Math.Min(covariates["crcl"], VirtualPopulation.DialysisCrClCap);
            }
        }
        covariates.TryAdd("dialysis", 0);
        return covariates;
    }

    private static DoseRoute ReadRoute(DocumentMap map, DoseRoute fallback) => map.Text("route") switch
    {
        null => fallback,
        "bolus" => DoseRoute.Bolus,
        "infusion" => DoseRoute.Infusion,
        "oral" => DoseRoute.Oral,
        var other => throw map.Required("route", "").Error($"is bolus, infusion or oral, not '{other}'"),
    };

    private static List<double> ReadTimes(DocumentNode? node, List<Dose> doses)
    {
        if (node is DocumentList list)
        {
            var times = list.Numbers().ToList();
            if (times.Count == 0 || times.Any(t => !(double.IsFinite(t) && t >= 0)) || times.Zip(times.Skip(1)).Any(p => p.Second < p.First))
            {
                throw list.Error("must list times (h) from 0 on, in order");
            }
            return times;
        }
        var last = doses.Max(d => d.Time + d.Duration);
        var map = node?.ExpectMap("a list of hours or { from, to, step }").Allow("from", "to", "step");
        var from = map?.Number("from") ?? 0;
        var to = map?.Number("to") ?? Math.Ceiling(last + 24);
        var step = map?.Number("step") ?? 1;
        if (!(from >= 0 && to > from && step > 0 && (to - from) / step <= 100_000))
        {
            throw (map ?? (DocumentNode)node!).Error(string.Create(CultureInfo.InvariantCulture, $"needs 0 ≤ from < to and a step that makes at most 100000 points, got from {from}, to {to}, step {step}"));
        }
        var count = (int)Math.Floor(((to - from) / step) + 1e-9) + 1;
        return [.. Enumerable.Range(0, count).Select(i => from + (i * step))];
    }

    private static (EmaxModel?, IndirectResponseModel?) ReadPd(DocumentMap? map)
    {
        if (map is null)
        {
            return (null, null);
        }
        map.Allow("emax", "indirect");
        if (map.Map("emax", "a mapping: { e0, emax, ec50, hill }") is { } e)
        {
            e.Allow("e0", "emax", "ec50", "hill");
            var model = new EmaxModel(e.Number("e0") ?? 0, e.Required("emax", "the largest effect").ExpectScalar("a number").Number(), e.Required("ec50", "mg/L").ExpectScalar("a number").Number(), e.Number("hill") ?? 1);
            return (model.Problem() is { } problem ? throw e.Error(problem) : model, null);
        }
        if (map.Map("indirect", "a mapping: { type, kin, kout, max, c50, hill }") is { } i)
        {
            i.Allow("type", "kin", "kout", "max", "c50", "hill");
            var type = i.Required("type", "1 to 4 (Jusko's types I–IV)").ExpectScalar("1, 2, 3 or 4").Integer();
            var model = new IndirectResponseModel((IndirectResponseType)type, i.Required("kin", "").ExpectScalar("a number").Number(), i.Required("kout", "").ExpectScalar("a number").Number(),
                i.Required("max", "Imax or Smax").ExpectScalar("a number").Number(), i.Required("c50", "IC50 or SC50, mg/L").ExpectScalar("a number").Number(), i.Number("hill") ?? 1);
            return (null, model.Problem() is { } problem ? throw i.Error(problem) : model);
        }
        throw map.Error("needs 'emax' or 'indirect'");
    }
}
