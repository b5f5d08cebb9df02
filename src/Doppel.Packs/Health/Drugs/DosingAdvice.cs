using System.Globalization;
using System.Text.Json.Nodes;

namespace Doppel.Packs.Health.Drugs;

/// <summary>
/// A dosing recommendation with its posterior, as the CLI (<c>doppel pk dose</c>), the experiment kind
/// <c>vancomycin-dosing</c> and the console's dosing page give it: the MAP fit and its Laplace uncertainty, the
/// recommended regimen with the posterior of its AUC24, the regimen so far continued for comparison, and the predicted
/// concentration curves (median and 90% band over posterior draws) if the patient stays on it or switches at the next dose.
/// </summary>
public sealed record DosingAdvice(PosteriorFit Fit, DoseRecommendation Recommendation, DosingRegimen? Current, double? CurrentAuc24, double? CurrentProbability, DoseTarget Target)
{
    /// <summary>Draws for the curves' bands.</summary>
    public const int CurveDraws = 400;

    /// <summary>Fits the case's levels and recommends; errors say what in the case is wrong.</summary>
    public static Result<DosingAdvice> For(DosingCase dosing, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(dosing);
        if (dosing.Model is null)
        {
            return Result<DosingAdvice>.Fail("ValidationFailed", "a recommendation needs a population model (its prior): give 'model'");
        }
        if (dosing.Levels.Count == 0)
        {
            return Result<DosingAdvice>.Fail("ValidationFailed", "a recommendation needs at least one measured level ('levels')");
        }
        var fit = BayesianEstimator.Fit(dosing.Model, dosing.Covariates, dosing.Doses, dosing.Levels);
        if (!fit.IsSuccess)
        {
            return Result<DosingAdvice>.Fail(fit.Error);
        }
        var recommendation = DoseFinder.Recommend(fit.Value, dosing.Target, seed);
        if (!recommendation.IsSuccess)
        {
            return Result<DosingAdvice>.Fail(recommendation.Error);
        }
        var current = CurrentRegimen(dosing.Doses);
        double? currentAuc = null, currentProbability = null;
        if (current is not null)
        {
            currentAuc = DoseFinder.SteadyStateAuc24(fit.Value.Parameters, current);
            var draws = BayesianEstimator.Sample(fit.Value, DoseFinder.PosteriorDraws, seed);
            currentProbability = draws.Count(eta => DoseFinder.SteadyStateAuc24(fit.Value.ParametersFor(eta), current) is var auc && auc >= dosing.Target.AucLow && auc <= dosing.Target.AucHigh) / (double)draws.Count;
        }
        return Result<DosingAdvice>.Ok(new DosingAdvice(fit.Value, recommendation.Value, current, currentAuc, currentProbability, dosing.Target));
    }

    /// <summary>The regimen the doses follow when the last two are the same kind of dose (amount, interval, infusion), else null.</summary>
    public static DosingRegimen? CurrentRegimen(IReadOnlyList<Dose> doses)
    {
        ArgumentNullException.ThrowIfNull(doses);
        if (doses.Count < 2)
        {
            return null;
        }
        var (previous, last) = (doses[^2], doses[^1]);
        var interval = last.Time - previous.Time;
        return interval > 0 && last.Amount > 0 ? new DosingRegimen(last.Amount, interval, 1, last.Route, last.Route == DoseRoute.Infusion ? Math.Min(last.Duration, interval) : 1) : null;
    }

    /// <summary>The advice as JSON, with the curves sampled from the posterior (deterministic for the seed).</summary>
    public JsonObject ToJson(ulong seed = 1)
    {
        var model = Fit.Model;
        var eta = new JsonArray();
        for (var k = 0; k < model.EtaCount; k++)
        {
            eta.Add(new JsonObject { ["name"] = model.EtaNames[k], ["map"] = Fit.Eta[k], ["sd"] = Number(Fit.EtaSd(k)) });
        }
        var parameters = new JsonObject();
        foreach (var parameter in model.Parameters)
        {
            var map = Value(Fit.Parameters, parameter.Name);
            var sd = parameter.Eta is { } k ? Fit.EtaSd(k) : 0;
            parameters[parameter.Name] = new JsonObject { ["map"] = map, ["lower"] = Number(map * Math.Exp(-1.6448536269514722 * sd)), ["upper"] = Number(map * Math.Exp(1.6448536269514722 * sd)) };
        }
        var r = Recommendation;
        var next = Fit.Doses[^1].Time + (Current?.Interval ?? r.Regimen.Interval);
        var json = new JsonObject
        {
            ["model"] = model.Name,
            ["citation"] = model.Citation,
            ["target"] = new JsonObject { ["low"] = Target.AucLow, ["high"] = Target.AucHigh },
            ["covariates"] = new JsonObject([.. Fit.Covariates.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))]),
            ["levels"] = new JsonArray([.. Fit.Levels.Select(l => (JsonNode)new JsonObject { ["time"] = l.Time, ["value"] = l.Value })]),
            ["posterior"] = new JsonObject
            {
                ["eta"] = eta,
                ["parameters"] = parameters,
                ["objective"] = Fit.Objective,
                ["converged"] = Fit.Converged,
                ["iterations"] = Fit.Iterations,
                ["method"] = "MAP, Laplace approximation (inverse Hessian at the mode); parameter intervals 90%",
            },
            ["recommendation"] = Regimen(r.Regimen, r.Auc24, r.ProbabilityInTarget, next),
            ["current"] = Current is null ? null : Regimen(Current, CurrentAuc24!.Value, CurrentProbability!.Value, null),
            ["candidates"] = new JsonArray([.. r.Candidates.Select(c => (JsonNode)new JsonObject { ["regimen"] = c.Regimen.ToString(), ["dose"] = c.Regimen.Amount, ["interval"] = c.Regimen.Interval, ["auc24"] = c.Auc24, ["probabilityInTarget"] = c.ProbabilityInTarget })]),
            ["curves"] = Curves(next, seed),
        };
        json["recommendation"]!["auc24Median"] = r.Auc24Median;
        json["recommendation"]!["auc24Lower"] = r.Auc24Lower;
        json["recommendation"]!["auc24Upper"] = r.Auc24Upper;
        json["recommendation"]!["peak"] = r.Peak;
        json["recommendation"]!["trough"] = r.Trough;
        return json;
    }

    /// <summary>Lines for people (<c>doppel pk dose</c>).</summary>
    public IEnumerable<string> Describe()
    {
        var model = Fit.Model;
        var year = System.Text.RegularExpressions.Regex.Match(model.Citation, @"\b(19|20)\d\d\b").Value;
        yield return Invariant($"Model: {model.Name} ({model.Citation.Split(' ')[0]} et al. {year})");
        yield return Invariant($"Posterior (MAP ± Laplace SD), from {Fit.Levels.Count} level(s), {(Fit.Converged ? "converged" : "NOT converged")} in {Fit.Iterations} Newton steps:");
        for (var k = 0; k < model.EtaCount; k++)
        {
            yield return Invariant($"  {model.EtaNames[k],-8} {Fit.Eta[k],8:F4} ± {Fit.EtaSd(k):F4}");
        }
        foreach (var parameter in model.Parameters)
        {
            var map = Value(Fit.Parameters, parameter.Name);
            var sd = parameter.Eta is { } k ? Fit.EtaSd(k) : 0;
            yield return Invariant($"  {parameter.Name,-8} {map,8:F3}  90% [{map * Math.Exp(-1.645 * sd):F3}, {map * Math.Exp(1.645 * sd):F3}]");
        }
        if (Current is not null)
        {
            yield return Invariant($"Current regimen {Current}: AUC24 at steady state {CurrentAuc24:F0} mg·h/L, P(in {Target.AucLow:G}–{Target.AucHigh:G}) = {CurrentProbability:P0}");
        }
        var r = Recommendation;
        yield return Invariant($"Recommended {r.Regimen}: AUC24 {r.Auc24:F0} mg·h/L (posterior median {r.Auc24Median:F0}, 90% [{r.Auc24Lower:F0}, {r.Auc24Upper:F0}]), P(in target) = {r.ProbabilityInTarget:P0}; steady-state peak {r.Peak:F1} mg/L, trough {r.Trough:F1} mg/L");
    }

    /// <summary>Concentrations from 0 to 72 h after the next dose: staying on the current doses, or switching to the recommendation there.</summary>
    private JsonObject Curves(double next, ulong seed)
    {
        var end = next + 72;
        var step = Math.Max(0.25, Math.Round(end / 300 * 4) / 4);
        var times = Enumerable.Range(0, (int)(end / step) + 1).Select(i => i * step).ToArray();
        var stay = Fit.Doses.Concat(Current is null ? [] : (Current with { Start = next, Count = (int)Math.Ceiling(72 / Current.Interval) }).Doses()).ToList();
        var switched = Fit.Doses.Concat((Recommendation.Regimen with { Start = next, Count = (int)Math.Ceiling(72 / Recommendation.Regimen.Interval) }).Doses()).ToList();
        var draws = BayesianEstimator.Sample(Fit, CurveDraws, seed);
        return new JsonObject
        {
            ["times"] = new JsonArray([.. times.Select(t => (JsonNode)t)]),
            ["switchAt"] = next,
            ["current"] = Band(stay),
            ["recommended"] = Band(switched),
        };

        JsonObject Band(List<Dose> doses)
        {
            var samples = draws.Select(eta => new CompartmentModel(Fit.ParametersFor(eta)).Concentrations(doses, times)).ToArray();
            var map = new CompartmentModel(Fit.Parameters).Concentrations(doses, times);
            var lower = new JsonArray();
            var upper = new JsonArray();
            for (var i = 0; i < times.Length; i++)
            {
                var column = samples.Select(s => s[i]).Order().ToArray();
                lower.Add(Math.Round(column[(int)(0.05 * (column.Length - 1))], 4));
                upper.Add(Math.Round(column[(int)Math.Ceiling(0.95 * (column.Length - 1))], 4));
            }
            return new JsonObject { ["map"] = new JsonArray([.. map.Select(c => (JsonNode)Math.Round(c, 4))]), ["lower"] = lower, ["upper"] = upper };
        }
    }

    private static JsonObject Regimen(DosingRegimen regimen, double auc24, double probability, double? start) => new()
    {
        ["text"] = regimen.ToString(),
        ["dose"] = regimen.Amount,
        ["interval"] = regimen.Interval,
        ["route"] = regimen.Route.ToString().ToLowerInvariant(),
        ["duration"] = regimen.InfusionDuration,
        ["dailyDose"] = regimen.DailyDose,
        ["start"] = start,
        ["auc24"] = auc24,
        ["probabilityInTarget"] = probability,
    };

    internal static double Value(PkParameters p, string name) => name.ToUpperInvariant() switch
    {
        "CL" => p.CL,
        "V1" => p.V1,
        "Q2" => p.Q2,
        "V2" => p.V2,
        "Q3" => p.Q3,
        "V3" => p.V3,
        "KA" => p.Ka,
        "F" => p.F,
        _ => p.Lag,
    };

    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
