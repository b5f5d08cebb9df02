using Doppel.Simulation.Experiments;

namespace Doppel.Packs.Foresight;

/// <summary>The plan the search found, the rule's plan it started from, the plan's cost over the search's replications, and the search's size.</summary>
/// <param name="Plan">A period per engine (the problem's <c>Periods</c>: not serviced).</param>
/// <param name="RulePlan">The rule's plan, where the search started.</param>
/// <param name="Cost">The plan's cost over the search's replications.</param>
/// <param name="Evaluated">Plans evaluated, both stages together.</param>
/// <param name="Generations">Generations of the genetic search.</param>
public sealed record MaintenancePlanResult(IReadOnlyList<int> Plan, IReadOnlyList<int> RulePlan, KpiSummary Cost, int Evaluated, int Generations)
{
    /// <summary>The genetic search's best plan, before the local search.</summary>
    public IReadOnlyList<int> GeneticPlan { get; init; } = [];

    /// <summary>Its mean cost over the same replications.</summary>
    public double GeneticCost { get; init; }

    /// <summary>Whether the local search stopped at a plan no single move or swap improves (else its budget ran out).</summary>
    public bool LocalOptimum { get; init; }
}
