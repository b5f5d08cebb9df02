using Doppel.Simulation.Experiments.Internal;

namespace Doppel.Simulation.Experiments;

/// <summary>
/// Runs replications of scenarios in parallel and summarises their KPIs. Results are a function of the options'
/// seed alone: the same on 1 or many cores, bit for bit, whatever order replications finish in.
/// </summary>
public sealed class ExperimentRunner
{
    private readonly ExperimentOptions _options;

    /// <summary>Creates a runner; the options are validated here.</summary>
    public ExperimentRunner(ExperimentOptions? options = null)
    {
        _options = options ?? new ExperimentOptions();
        _options.Validate();
    }

    /// <summary>
    /// Runs <paramref name="replication"/> for every scenario: <see cref="ExperimentOptions.Replications"/> times, or
    /// in rounds until <see cref="ExperimentOptions.Stopping"/> is satisfied. Progress is reported from worker threads
    /// after each replication; cancellation stops taking new replications and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <exception cref="ReplicationException">A replication threw (the first in scenario, replication order).</exception>
    public ExperimentResult Run(IReadOnlyList<Scenario> scenarios, Replication replication,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentNullException.ThrowIfNull(replication);
        if (scenarios.Count == 0)
        {
            throw new ArgumentException("An experiment needs at least one scenario.", nameof(scenarios));
        }
        if (scenarios.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() != scenarios.Count)
        {
            throw new ArgumentException("Scenario names must be unique.", nameof(scenarios));
        }

        var stopping = _options.Stopping;
        var slots = new IReadOnlyDictionary<string, double>[scenarios.Count][];
        var planned = new int[scenarios.Count];
        Array.Fill(planned, _options.Replications);
        var completed = 0;
        var total = 0;
        var results = new ScenarioResult?[scenarios.Count];
        while (true)
        {
            // One round: every scenario still short of its planned count runs up to it.
            var items = new List<(int, int)>();
            for (var s = 0; s < scenarios.Count; s++)
            {
                var done = slots[s]?.Length ?? 0;
                if (planned[s] > done)
                {
                    Array.Resize(ref slots[s], planned[s]);
                    for (var r = done; r < planned[s]; r++)
                    {
                        items.Add((s, r));
                    }
                }
            }
            if (items.Count == 0)
            {
                break;
            }
            total += items.Count;
            var roundTotal = total;
            new ReplicationBatch(scenarios, replication, _options, [.. items], slots,
                () => progress?.Report(new ExperimentProgress(Interlocked.Increment(ref completed), roundTotal)),
                cancellationToken).Run();

            // Decisions read only finished values in replication order, so every round is the same on any core count.
            for (var s = 0; s < scenarios.Count; s++)
            {
                if (results[s] is { } previous && previous.Replications == slots[s].Length)
                {
                    continue;
                }
                var result = Summarise(scenarios[s], s, slots[s]);
                results[s] = result;
                if (stopping is not null)
                {
                    result.PrecisionReached = IsPrecise(stopping, result);
                    if (result.PrecisionReached == false && planned[s] < stopping.MaxReplications)
                    {
                        planned[s] = Math.Min(planned[s] + stopping.BatchSize, stopping.MaxReplications);
                    }
                }
            }
        }
        return new ExperimentResult(_options, [.. results.Select(r => r!)]);
    }

    private static bool IsPrecise(SequentialStopping stopping, ScenarioResult result)
    {
        foreach (var kpi in stopping.Kpis ?? result.KpiNames)
        {
            if (!stopping.IsPrecise(result[kpi]))
            {
                return false;
            }
        }
        return true;
    }

    private ScenarioResult Summarise(Scenario scenario, int index, IReadOnlyDictionary<string, double>[] replications)
    {
        var first = replications[0];
        var kpis = first.Keys.ToArray();
        var values = new Dictionary<string, double[]>(kpis.Length, StringComparer.Ordinal);
        foreach (var kpi in kpis)
        {
            values[kpi] = new double[replications.Length];
        }
        for (var r = 0; r < replications.Length; r++)
        {
            var kpiValues = replications[r];
            if (kpiValues.Count != kpis.Length)
            {
                throw MismatchedKpis(scenario, r, kpis, kpiValues);
            }
            foreach (var kpi in kpis)
            {
                values[kpi][r] = kpiValues.TryGetValue(kpi, out var value) ? value : throw MismatchedKpis(scenario, r, kpis, kpiValues);
            }
        }
        return new ScenarioResult(scenario, index, kpis, values, _options.ConfidenceLevel);
    }

    private static InvalidOperationException MismatchedKpis(Scenario scenario, int replication, string[] expected,
        IReadOnlyDictionary<string, double> actual) =>
        new($"Replication {replication} of scenario '{scenario.Name}' returned KPIs [{string.Join(", ", actual.Keys)}]; " +
            $"replication 0 returned [{string.Join(", ", expected)}]. Every replication must return the same KPIs.");
}
