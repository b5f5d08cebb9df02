using Doppel.Packs.Mobility.Demand;
using Doppel.Packs.Mobility.Network;
using Doppel.Packs.Mobility.Simulation;
using Doppel.Simulation.Experiments;
using Doppel.Simulation.Optimization;

namespace Doppel.Packs.Mobility.Planning;

/// <summary>
/// Signal optimisation: CMA-ES (the kernel's) over the green splits and offsets of a region's signals
/// (<see cref="SignalPlanSpace"/>), minimising the mean delay per vehicle on the traffic simulator, each candidate
/// averaged over replications that share their seeds within a generation (common random numbers). The search's best
/// candidate and its final mean are then run with the plan in force on fresh common seeds, and the better of the two is
/// the result, with its paired difference from the plan in force.
/// </summary>
public static class SignalOptimization
{
    /// <summary>Optimises the plan of <paramref name="space"/>'s signals for <paramref name="demand"/> on <paramref name="network"/>.</summary>
    public static SignalOptimizationResult Run(RoadNetwork network, TrafficDemand demand, SignalPlanSpace space, SignalOptimizationOptions options,
        IProgress<CmaEsProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(demand);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(options);
        var search = new CmaEsOptimizer(space.Problem, new CmaEsOptions
        {
            Seed = options.Seed,
            Replications = options.Replications,
            PopulationSize = options.PopulationSize,
            MaxGenerations = options.Generations,
            InitialStepSize = options.InitialStepSize,
            Tolerance = 1e-3,
        }).Minimize((point, seed) => Delay(network, demand, space.Decode(point, options.ProgramId), seed, options).Objective, progress, space.Start, ct);

        // Judge the candidates on seeds the search never saw: the same seeds for each, and for the plan in force.
        var candidates = new List<(string Name, IReadOnlyList<SignalProgram> Programs)> { ("current", space.Programs) };
        candidates.Add(("mean", space.Decode(search.Mean, options.ProgramId)));
        if (search.Best is { } best)
        {
            candidates.Add(("best", space.Decode(best, options.ProgramId)));
        }
        var runner = new ExperimentRunner(new ExperimentOptions { Seed = options.Seed ^ 0x5DEECE66DUL, Replications = options.CheckReplications });
        var checks = runner.Run([.. candidates.Select(c => new Scenario(c.Name))], (context, _) =>
        {
            var delay = Delay(network, demand, candidates[context.ScenarioIndex].Programs, context.Seed, options);
            return new Dictionary<string, double> { ["objective"] = delay.Objective, ["timeLoss"] = delay.TimeLoss };
        }, cancellationToken: ct);
        var chosen = checks.Scenarios.Skip(1).MinBy(s => s["objective"].Mean)!;
        var programs = candidates.First(c => c.Name == chosen.Scenario.Name).Programs;
        return new SignalOptimizationResult(space.Programs, programs, checks.Scenarios[0]["timeLoss"], chosen["timeLoss"],
            checks.Compare("current", chosen.Scenario.Name, "timeLoss"), checks.Compare("current", chosen.Scenario.Name, "objective"), search);
    }

    /// <summary>
    /// One run with <paramref name="programs"/> in force: the mean time loss of the trips (SUMO's timeLoss) and the
    /// objective, which adds their mean depart delay so that a plan cannot look better by keeping vehicles out.
    /// </summary>
    public static (double Objective, double TimeLoss) Delay(RoadNetwork network, TrafficDemand demand, IReadOnlyList<SignalProgram> programs, ulong seed, SignalOptimizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(programs);
        ArgumentNullException.ThrowIfNull(options);
        var simulation = new TrafficSimulation(network, demand, new TrafficOptions { Seed = seed, End = options.End, StepLength = options.StepLength });
        foreach (var program in programs)
        {
            simulation.SetSignalProgram(program);
        }
        var trips = simulation.Run().Trips;
        if (trips.Count == 0)
        {
            return (double.NaN, double.NaN);
        }
        var timeLoss = trips.Average(t => t.TimeLoss);
        return (timeLoss + trips.Average(t => t.DepartDelay), timeLoss);
    }
}
