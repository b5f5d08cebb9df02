namespace Doppel.Simulation.Experiments;

/// <summary>The outcome of an experiment: each scenario's replications and summaries, comparisons, and a results table.</summary>
public sealed class ExperimentResult
{
    private readonly Dictionary<string, ScenarioResult> _byName;

    internal ExperimentResult(ExperimentOptions options, IReadOnlyList<ScenarioResult> scenarios)
    {
        Options = options;
        Scenarios = scenarios;
        _byName = new Dictionary<string, ScenarioResult>(scenarios.Count, StringComparer.Ordinal);
        foreach (var scenario in scenarios)
        {
            _byName[scenario.Scenario.Name] = scenario;
        }
    }

    /// <summary>The options the experiment ran with.</summary>
    public ExperimentOptions Options { get; }

    /// <summary>The scenarios' results, in the order the scenarios were given.</summary>
    public IReadOnlyList<ScenarioResult> Scenarios { get; }

    /// <summary>The results of the scenario named <paramref name="scenario"/>.</summary>
    public ScenarioResult this[string scenario] => _byName.TryGetValue(scenario, out var result)
        ? result
        : throw new KeyNotFoundException($"The experiment has no scenario '{scenario}'.");

    /// <summary>
    /// Compares <paramref name="alternative"/> with <paramref name="baseline"/> in <paramref name="kpi"/>: a paired t
    /// interval when the experiment used common random numbers, Welch's otherwise.
    /// </summary>
    public Comparison Compare(string baseline, string alternative, string kpi)
    {
        var a = this[baseline];
        var b = this[alternative];
        return Options.CommonRandomNumbers
            ? Comparison.PairedT(baseline, a.Values(kpi), alternative, b.Values(kpi), kpi, Options.ConfidenceLevel)
            : Comparison.Welch(baseline, a[kpi], alternative, b[kpi], kpi, Options.ConfidenceLevel);
    }

    /// <summary>The results table: scenario parameters, replication counts and KPI summaries.</summary>
    public ResultTable ToTable()
    {
        var parameters = new List<string>();
        var kpis = new List<string>();
        foreach (var scenario in Scenarios)
        {
            foreach (var name in scenario.Scenario.Parameters.Keys)
            {
                if (!parameters.Contains(name))
                {
                    parameters.Add(name);
                }
            }
            foreach (var name in scenario.KpiNames)
            {
                if (!kpis.Contains(name))
                {
                    kpis.Add(name);
                }
            }
        }
        var columns = new List<string>(parameters) { "replications" };
        foreach (var kpi in kpis)
        {
            columns.Add(kpi);
            columns.Add($"{kpi}.halfWidth");
            columns.Add($"{kpi}.stdDev");
        }
        var rows = new List<IReadOnlyList<double>>(Scenarios.Count);
        foreach (var scenario in Scenarios)
        {
            var row = new List<double>(columns.Count);
            foreach (var name in parameters)
            {
                row.Add(scenario.Scenario.Parameters.TryGetValue(name, out var value) ? value : double.NaN);
            }
            row.Add(scenario.Replications);
            foreach (var kpi in kpis)
            {
                var summary = scenario.Kpis.GetValueOrDefault(kpi);
                row.Add(summary?.Mean ?? double.NaN);
                row.Add(summary?.HalfWidth ?? double.NaN);
                row.Add(summary?.StandardDeviation ?? double.NaN);
            }
            rows.Add(row);
        }
        return new ResultTable(columns, [.. Scenarios.Select(s => s.Scenario.Name)], rows);
    }
}
