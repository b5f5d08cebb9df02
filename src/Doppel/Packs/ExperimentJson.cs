using System.Text.Json.Nodes;
using Doppel.Simulation.Experiments;

namespace Doppel.Packs;

/// <summary>
/// The JSON shape of experiment results that hosts print and plot with a <see cref="ResultView"/>:
/// <c>{"scenarios": [{"name", "replications", ..., "kpis": {"k": {"mean", "halfWidth"}}, "comparisons": {"k": {"difference", "halfWidth", "percentChange", "significant"}}}], "kind", "run"}</c>.
/// </summary>
public static class ExperimentJson
{
    /// <summary>The name of the scenario what-ifs are compared with.</summary>
    public const string Baseline = "baseline";

    /// <summary>
    /// Each scenario's KPIs (mean, half-width) and, for all but the baseline, the paired comparison of each of the view's
    /// compared KPIs; <paramref name="fields"/> adds a kind's own fields to each scenario (before its KPIs).
    /// </summary>
    public static JsonObject Write(ExperimentResult result, ResultView view, Action<ScenarioResult, JsonObject>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(view);
        var scenarios = new JsonArray();
        var hasBaseline = result.Scenarios.Any(s => s.Scenario.Name == view.Baseline);
        foreach (var s in result.Scenarios)
        {
            var entry = new JsonObject { ["name"] = s.Scenario.Name, ["replications"] = s.Replications };
            fields?.Invoke(s, entry);
            var kpis = new JsonObject();
            foreach (var name in s.KpiNames)
            {
                kpis[name] = new JsonObject { ["mean"] = Number(s[name].Mean), ["halfWidth"] = Number(s[name].HalfWidth) };
            }
            entry["kpis"] = kpis;
            if (hasBaseline && s.Scenario.Name != view.Baseline)
            {
                var comparisons = new JsonObject();
                foreach (var kpi in view.Compared.Where(k => s.KpiNames.Contains(k.Kpi)))
                {
                    comparisons[kpi.Kpi] = Comparison(result.Compare(view.Baseline, s.Scenario.Name, kpi.Kpi));
                }
                entry["comparisons"] = comparisons;
            }
            scenarios.Add(entry);
        }
        return new JsonObject { ["scenarios"] = scenarios };
    }

    /// <summary>A comparison as JSON: <c>{"difference", "halfWidth", "percentChange", "significant"}</c>.</summary>
    public static JsonObject Comparison(Comparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return new JsonObject
        {
            ["difference"] = Number(comparison.Difference),
            ["halfWidth"] = Number(comparison.HalfWidth),
            ["percentChange"] = Number(comparison.PercentChange),
            ["significant"] = comparison.IsSignificant,
        };
    }

    /// <summary>A number for JSON: null when it is not finite (an empty mean, a change from zero), which JSON cannot hold.</summary>
    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    /// <summary>
    /// What a host does to every result before it leaves: names its kind and run, and turns any number that is not
    /// finite into null, so that no result holds NaN or Infinity (which JSON cannot carry).
    /// </summary>
    public static JsonObject Seal(JsonObject result, string kind, RunSettings run)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(run);
        Scrub(result);
        result["kind"] = kind;
        result["run"] = run.ToJson();
        return result;
    }

    private static void Scrub(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (NotFinite(value))
                    {
                        obj[key] = null;
                    }
                    else if (value is not null)
                    {
                        Scrub(value);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (NotFinite(array[i]))
                    {
                        array[i] = null;
                    }
                    else if (array[i] is { } item)
                    {
                        Scrub(item);
                    }
                }
                break;
        }
    }

    private static bool NotFinite(JsonNode? node) =>
        (node is JsonValue value && value.TryGetValue<double>(out var d) && !double.IsFinite(d))
        || (node is JsonValue single && single.TryGetValue<float>(out var f) && !float.IsFinite(f));
}
