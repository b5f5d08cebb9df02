using System.Globalization;
using Doppel.Simulation.Experiments;
using Doppel.Simulation.Optimization.Internal;

namespace Doppel.Simulation.Optimization;

/// <summary>
/// CMA-ES (Hansen's (μ/μ_w, λ)-CMA-ES with default parameters) for noisy continuous objectives such as simulation
/// outputs. Each generation's candidates are averaged over the same replication seeds (common random numbers, so they
/// are ranked on equal luck), with fresh seeds every generation so no luck is fitted twice; replications run in parallel
/// and the search is deterministic for a seed on any number of cores.
/// </summary>
/// <remarks>
/// <para>Bounds: the search runs on [0, 1]ⁿ scaled from the bounds. A sample that leaves the box is repaired by mirroring
/// it at the bound it crossed, and the objective sees the mirrored point only; the sample itself stays in the update, so
/// the strategy optimizes f(mirror(y)), a continuous function symmetric about each bound, and needs no penalty weight.
/// An optimum on a bound is a kink of that function at the bound, where the search converges.</para>
/// <para>Constraints g(x) ≤ 0: candidates that miss one are ranked after every feasible candidate, by their total
/// violation, and are not evaluated (no simulation is spent on them); this needs no penalty weight either, which with a
/// noisy objective of unknown scale could not be set once for all.</para>
/// </remarks>
public sealed class CmaEsOptimizer(ContinuousProblem problem, CmaEsOptions? options = null)
{
    private const double MaxCondition = 1e14;
    private readonly CmaEsOptions _options = options ?? new CmaEsOptions();

    /// <summary>Minimizes the mean of <paramref name="objective"/> (one replication's value at a point, given its seed).</summary>
    /// <param name="objective">One replication's value at a point within the bounds, given its seed; called in parallel.</param>
    /// <param name="progress">Reports each finished generation, on the calling thread.</param>
    /// <param name="start">Where the search starts (the current setting); the centre of the bounds by default.</param>
    /// <param name="ct">Stops the search with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ReplicationException">The objective threw (the first failure in candidate, replication order).</exception>
    public CmaEsResult Minimize(Func<double[], ulong, double> objective, IProgress<CmaEsProgress>? progress = null, IReadOnlyList<double>? start = null, CancellationToken ct = default) =>
        Search(objective, 1, progress, start, ct);

    /// <summary>Maximizes the mean of <paramref name="objective"/>; otherwise as <see cref="Minimize"/>.</summary>
    /// <inheritdoc cref="Minimize" path="/param"/>
    public CmaEsResult Maximize(Func<double[], ulong, double> objective, IProgress<CmaEsProgress>? progress = null, IReadOnlyList<double>? start = null, CancellationToken ct = default) =>
        Search(objective, -1, progress, start, ct);

    private CmaEsResult Search(Func<double[], ulong, double> objective, double sign, IProgress<CmaEsProgress>? progress, IReadOnlyList<double>? start, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(objective);
        _options.Validate();
        if (problem.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(problem));
        }
        var n = problem.Dimensions;
        if (start is not null && (start.Count != n || start.Select((v, i) => !(v >= problem.Lower[i] && v <= problem.Upper[i])).Any(outside => outside)))
        {
            throw new ArgumentException($"The start [{string.Join(", ", start)}] is not a point within the bounds.", nameof(start));
        }
        var origin = new double[n];
        for (var i = 0; i < n; i++)
        {
            var at = start?[i] ?? (problem.Lower[i] + problem.Upper[i]) / 2;
            origin[i] = (at - problem.Lower[i]) / (problem.Upper[i] - problem.Lower[i]);
        }
        var lambda = _options.PopulationSize ?? 4 + (int)(3 * Math.Log(n));
        var distribution = new CmaEsDistribution(origin, _options.InitialStepSize, lambda);
        // Stream 0 of the seed draws the samples; stream g + 1 seeds generation g's replications.
        var random = new SimRandom(SeedSequence.Derive(_options.Seed, 0));
        var z = Matrix(lambda, n);
        var y = Matrix(lambda, n);
        var samples = Matrix(lambda, n);
        var points = Matrix(lambda, n);
        var violation = new double[lambda];
        var value = new double[lambda];
        double[]? best = null;
        KpiSummary? bestObjective = null;
        var evaluations = 0;
        var generations = 0;
        var stop = CmaEsStop.Generations;
        while (generations < _options.MaxGenerations)
        {
            ct.ThrowIfCancellationRequested();
            var feasible = new List<int>(lambda);
            for (var k = 0; k < lambda; k++)
            {
                distribution.Sample(random, z[k], y[k], samples[k]);
                Mirror(samples[k], points[k]);
                violation[k] = problem.Violation(points[k]);
                if (violation[k] == 0)
                {
                    feasible.Add(k);
                }
            }
            var summaries = Evaluate(objective, points, feasible, SeedSequence.Derive(_options.Seed, (ulong)generations + 1), ct);
            Array.Fill(value, double.PositiveInfinity);
            for (var f = 0; f < feasible.Count; f++)
            {
                var k = feasible[f];
                // A NaN mean ranks with the worst; comparisons with it would otherwise make the ranking depend on the sort.
                value[k] = double.IsNaN(summaries[f].Mean) ? double.PositiveInfinity : sign * summaries[f].Mean;
                if (value[k] < double.PositiveInfinity && (bestObjective is null || value[k] < sign * bestObjective.Mean))
                {
                    best = [.. points[k]];
                    bestObjective = summaries[f];
                }
            }
            evaluations += feasible.Count * _options.Replications;
            var ranking = Enumerable.Range(0, lambda).OrderBy(k => violation[k]).ThenBy(k => value[k]).ThenBy(k => k).ToArray();
            distribution.Update(ranking, z, y);
            generations++;
            progress?.Report(new CmaEsProgress(generations, evaluations, bestObjective?.Mean ?? double.NaN, distribution.MaxStandardDeviation));
            if (distribution.MaxStandardDeviation < _options.Tolerance)
            {
                stop = CmaEsStop.Converged;
                break;
            }
            if (distribution.Condition > MaxCondition)
            {
                stop = CmaEsStop.IllConditioned;
                break;
            }
            if (evaluations >= _options.MaxEvaluations)
            {
                stop = CmaEsStop.Evaluations;
                break;
            }
        }
        var mean = new double[n];
        Mirror([.. distribution.Mean], mean);
        return new CmaEsResult(best, bestObjective, mean, generations, evaluations, distribution.MaxStandardDeviation, stop);
    }

    // The feasible candidates' objective over this generation's replications: replication r has the same seed for all.
    private KpiSummary[] Evaluate(Func<double[], ulong, double> objective, double[][] points, List<int> feasible, ulong seed, CancellationToken ct)
    {
        if (feasible.Count == 0)
        {
            return [];
        }
        var runner = new ExperimentRunner(new ExperimentOptions { Seed = seed, Replications = _options.Replications, MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism });
        var scenarios = feasible.Select(k => new Scenario(k.ToString(CultureInfo.InvariantCulture))).ToArray();
        var result = runner.Run(scenarios, (context, _) =>
            new Dictionary<string, double>(1) { ["objective"] = objective([.. points[feasible[context.ScenarioIndex]]], context.Seed) }, cancellationToken: ct);
        return [.. result.Scenarios.Select(s => s["objective"])];
    }

    // Maps a point of the normalized space into the box, reflecting it at the bounds (period 2 on [0, 1]).
    private void Mirror(double[] normalized, double[] point)
    {
        for (var i = 0; i < normalized.Length; i++)
        {
            var t = normalized[i] - (2 * Math.Floor(normalized[i] / 2));
            if (t > 1)
            {
                t = 2 - t;
            }
            point[i] = Math.Clamp(problem.Lower[i] + (t * (problem.Upper[i] - problem.Lower[i])), problem.Lower[i], problem.Upper[i]);
        }
    }

    private static double[][] Matrix(int rows, int columns) => [.. Enumerable.Range(0, rows).Select(_ => new double[columns])];
}
