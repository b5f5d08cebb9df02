using Doppel.Simulation.Experiments;

namespace Doppel.Simulation.Optimization;

/// <summary>
/// A genetic algorithm for noisy allocation problems: every candidate is judged on the same replications (common random
/// numbers, so candidates are compared on equal luck), ranked by its mean, and the next generation is bred from the
/// best by tournament, with mutations that move units between slots (so every candidate keeps the budget and bounds).
/// Evaluations are cached, replications run in parallel, and the search is deterministic for a seed.
/// </summary>
public sealed class AllocationOptimizer(AllocationProblem problem, AllocationOptimizerOptions? options = null)
{
    private readonly AllocationOptimizerOptions _options = options ?? new AllocationOptimizerOptions();

    /// <summary>Maximizes the mean of <paramref name="objective"/> (one replication of one allocation, given its seed).</summary>
    /// <param name="objective">One replication's value for an allocation and a seed.</param>
    /// <param name="progress">Reports each finished generation.</param>
    /// <param name="start">An allocation to start from (the current one), always evaluated so the best can be compared with it.</param>
    /// <param name="ct">Stops the search.</param>
    public AllocationResult Maximize(Func<IReadOnlyList<int>, ulong, double> objective, IProgress<int>? progress = null, IReadOnlyList<int>? start = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (problem.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(objective));
        }
        var random = new SimRandom(_options.Seed);
        var cache = new Dictionary<string, KpiSummary>(StringComparer.Ordinal);
        var population = new List<int[]>();
        if (start is not null)
        {
            if (!problem.IsFeasible(start))
            {
                throw new ArgumentException($"The starting allocation [{string.Join(", ", start)}] does not meet the budget and bounds.", nameof(start));
            }
            population.Add([.. start]);
        }
        while (population.Count < _options.PopulationSize)
        {
            population.Add(RandomAllocation(random));
        }
        var generations = 0;
        for (; generations < _options.Generations; generations++)
        {
            ct.ThrowIfCancellationRequested();
            Evaluate(population, objective, cache, ct);
            var ranked = population.DistinctBy(Key).OrderByDescending(a => cache[Key(a)].Mean).ThenBy(Key, StringComparer.Ordinal).ToList();
            var next = ranked.Take(_options.Elite).ToList();
            while (next.Count < _options.PopulationSize)
            {
                var parent = Tournament(ranked, cache, random);
                var child = random.NextDouble() < _options.CrossoverRate ? Crossover(parent, Tournament(ranked, cache, random), random) : (int[])parent.Clone();
                var moves = 1 + random.Next(_options.MaxMutationMoves);
                for (var m = 0; m < moves; m++)
                {
                    Mutate(child, random);
                }
                next.Add(child);
            }
            population = next;
            progress?.Report(generations + 1);
        }
        Evaluate(population, objective, cache, ct);
        var best = cache.OrderByDescending(c => c.Value.Mean).ThenBy(c => c.Key, StringComparer.Ordinal).First();
        return new AllocationResult([.. best.Key.Split(',').Select(int.Parse)], best.Value, cache.Count, generations,
            cache.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal));
    }

    private void Evaluate(List<int[]> population, Func<IReadOnlyList<int>, ulong, double> objective, Dictionary<string, KpiSummary> cache, CancellationToken ct)
    {
        var fresh = population.Select(Key).Distinct(StringComparer.Ordinal).Where(k => !cache.ContainsKey(k)).ToList();
        if (fresh.Count == 0)
        {
            return;
        }
        var scenarios = fresh.Select(k => new Scenario(k)).ToList();
        var runner = new ExperimentRunner(new ExperimentOptions { Seed = _options.Seed, Replications = _options.Replications, MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism });
        var result = runner.Run(scenarios, (context, _) =>
            new Dictionary<string, double> { ["objective"] = objective([.. context.Scenario.Name.Split(',').Select(int.Parse)], context.Seed) }, cancellationToken: ct);
        foreach (var key in fresh)
        {
            cache[key] = result[key]["objective"];
        }
    }

    private int[] RandomAllocation(SimRandom random)
    {
        var allocation = problem.Minimum.ToArray();
        var left = problem.Budget - allocation.Sum();
        while (left > 0)
        {
            var slot = random.Next(problem.Slots);
            if (allocation[slot] < problem.Maximum[slot])
            {
                allocation[slot]++;
                left--;
            }
        }
        return allocation;
    }

    // Moves one unit from one slot to another when both bounds allow it.
    private void Mutate(int[] allocation, SimRandom random)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var from = random.Next(problem.Slots);
            var to = random.Next(problem.Slots);
            if (from != to && allocation[from] > problem.Minimum[from] && allocation[to] < problem.Maximum[to])
            {
                allocation[from]--;
                allocation[to]++;
                return;
            }
        }
    }

    // Averages two parents slot by slot, then gives back or takes the rounding difference to stay on budget.
    private int[] Crossover(int[] a, int[] b, SimRandom random)
    {
        var child = a.Select((v, i) => Math.Clamp((v + b[i] + random.Next(2)) / 2, problem.Minimum[i], problem.Maximum[i])).ToArray();
        var difference = problem.Budget - child.Sum();
        while (difference != 0)
        {
            var slot = random.Next(problem.Slots);
            if (difference > 0 && child[slot] < problem.Maximum[slot])
            {
                child[slot]++;
                difference--;
            }
            else if (difference < 0 && child[slot] > problem.Minimum[slot])
            {
                child[slot]--;
                difference++;
            }
        }
        return child;
    }

    private int[] Tournament(List<int[]> ranked, Dictionary<string, KpiSummary> cache, SimRandom random)
    {
        var best = ranked[random.Next(ranked.Count)];
        for (var i = 1; i < _options.TournamentSize; i++)
        {
            var challenger = ranked[random.Next(ranked.Count)];
            if (cache[Key(challenger)].Mean > cache[Key(best)].Mean)
            {
                best = challenger;
            }
        }
        return best;
    }

    private static string Key(int[] allocation) => string.Join(',', allocation);
}

/// <summary>Settings of <see cref="AllocationOptimizer"/>.</summary>
public sealed record AllocationOptimizerOptions
{
    public ulong Seed { get; init; } = 1;

    /// <summary>Replications per candidate, the same seeds for every candidate.</summary>
    public int Replications { get; init; } = 5;

    public int PopulationSize { get; init; } = 16;

    public int Generations { get; init; } = 12;

    /// <summary>The best candidates carried over unchanged.</summary>
    public int Elite { get; init; } = 2;

    public int TournamentSize { get; init; } = 3;

    public double CrossoverRate { get; init; } = 0.5;

    public int MaxMutationMoves { get; init; } = 2;

    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
}

/// <summary>The best allocation found, its objective's summary, and every candidate evaluated.</summary>
public sealed record AllocationResult(IReadOnlyList<int> Best, KpiSummary Objective, int Evaluated, int Generations, IReadOnlyDictionary<string, KpiSummary> Candidates);
