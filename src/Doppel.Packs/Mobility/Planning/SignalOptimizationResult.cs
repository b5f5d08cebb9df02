using Doppel.Packs.Mobility.Network;
using Doppel.Simulation.Experiments;
using Doppel.Simulation.Optimization;

namespace Doppel.Packs.Mobility.Planning;

/// <summary>
/// What signal optimisation found: the programs before and after, the mean time loss (delay) of each on the check
/// seeds, their paired difference (<see cref="Gain"/>, negative when the new plan is better) and that of the objective
/// (time loss plus depart delay), and the search itself.
/// </summary>
public sealed record SignalOptimizationResult(IReadOnlyList<SignalProgram> Original, IReadOnlyList<SignalProgram> Optimized, KpiSummary OriginalDelay,
    KpiSummary OptimizedDelay, Comparison Gain, Comparison ObjectiveGain, CmaEsResult Search);
