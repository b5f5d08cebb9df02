namespace Doppel.Simulation.Experiments;

/// <summary>The replications of one scenario: per-replication KPI values in replication order, and their summaries.</summary>
public sealed class ScenarioResult
{
    private readonly Dictionary<string, double[]> _values;

    internal ScenarioResult(Scenario scenario, int index, IReadOnlyList<string> kpis, Dictionary<string, double[]> values,
        double confidenceLevel)
    {
        Scenario = scenario;
        Index = index;
        KpiNames = kpis;
        _values = values;
        var summaries = new Dictionary<string, KpiSummary>(kpis.Count, StringComparer.Ordinal);
        foreach (var kpi in kpis)
        {
            summaries[kpi] = KpiSummary.Of(values[kpi], confidenceLevel);
        }
        Kpis = summaries;
        Replications = kpis.Count > 0 ? values[kpis[0]].Length : 0;
    }

    /// <summary>The scenario.</summary>
    public Scenario Scenario { get; }

    /// <summary>The scenario's position in the experiment.</summary>
    public int Index { get; }

    /// <summary>The number of replications run.</summary>
    public int Replications { get; }

    /// <summary>The KPI names, in the order the first replication returned them.</summary>
    public IReadOnlyList<string> KpiNames { get; }

    /// <summary>The summary of each KPI.</summary>
    public IReadOnlyDictionary<string, KpiSummary> Kpis { get; }

    /// <summary>Whether sequential stopping reached its precision (false: it stopped at the maximum); null without it.</summary>
    public bool? PrecisionReached { get; internal set; }

    /// <summary>The summary of KPI <paramref name="kpi"/>.</summary>
    public KpiSummary this[string kpi] => Kpis.TryGetValue(kpi, out var summary)
        ? summary
        : throw new KeyNotFoundException($"Scenario '{Scenario.Name}' has no KPI '{kpi}'.");

    /// <summary>The values of KPI <paramref name="kpi"/>, replication 0 first.</summary>
    public IReadOnlyList<double> Values(string kpi) => _values.TryGetValue(kpi, out var values)
        ? values
        : throw new KeyNotFoundException($"Scenario '{Scenario.Name}' has no KPI '{kpi}'.");
}
