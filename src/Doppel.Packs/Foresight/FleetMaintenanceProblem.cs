namespace Doppel.Packs.Foresight;

/// <summary>
/// When to service each engine of a fleet: the engines' predictions, the horizon cut into periods of whole cycles, the
/// services the crew can do in a period, and the costs. A plan gives each engine a period (0 to
/// <see cref="Periods"/> − 1, serviced at the period's start) or <see cref="Periods"/> (not within the horizon).
/// </summary>
/// <param name="Engines">The engines and their predictions, in a fixed order (a plan is indexed by it).</param>
/// <param name="Coverage">What the predictions' intervals cover (0.9 for 90% intervals).</param>
/// <param name="PeriodLength">Cycles in a period.</param>
/// <param name="Periods">Periods in the horizon.</param>
/// <param name="Capacity">Services (planned ones and repairs of failed engines) the crew does in a period.</param>
/// <param name="Costs">The cost model.</param>
public sealed record FleetMaintenanceProblem(IReadOnlyList<EnginePrediction> Engines, double Coverage, double PeriodLength, int Periods, int Capacity, MaintenanceCosts Costs)
{
    /// <summary>The horizon in cycles.</summary>
    public double Horizon => PeriodLength * Periods;

    /// <summary>The plan entry of an engine not serviced within the horizon.</summary>
    public int NotServiced => Periods;

    /// <summary>What is wrong with the problem, one message each; empty when it can be planned.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Engines.Count == 0)
        {
            errors.Add("The fleet has no engines.");
        }
        foreach (var engine in Engines)
        {
            if (engine.Problem() is { } problem)
            {
                errors.Add($"Engine '{engine.EngineId}': {problem}.");
            }
        }
        if (Engines.Select(e => e.EngineId).Distinct(StringComparer.Ordinal).Count() != Engines.Count)
        {
            errors.Add("Engine ids must be unique.");
        }
        if (!(Coverage > 0 && Coverage < 1))
        {
            errors.Add($"coverage must be between 0 and 1, exclusive, got {Coverage}.");
        }
        if (!double.IsFinite(PeriodLength) || PeriodLength <= 0)
        {
            errors.Add($"period must be a positive number of cycles, got {PeriodLength}.");
        }
        if (Periods < 1)
        {
            errors.Add($"periods must be at least 1, got {Periods}.");
        }
        if (Capacity < 1)
        {
            errors.Add($"capacity must be at least 1 service per period, got {Capacity}.");
        }
        errors.AddRange(Costs.Validate());
        return errors;
    }

    /// <summary>Whether a plan gives every engine a period or none, and books at most <see cref="Capacity"/> services per period.</summary>
    public bool IsFeasible(IReadOnlyList<int> plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Count == Engines.Count && plan.All(p => p >= 0 && p <= Periods) && Overbooked(plan) == 0;
    }

    /// <summary>Services booked beyond the crew's capacity, over all periods.</summary>
    public int Overbooked(IReadOnlyList<int> plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var booked = new int[Periods + 1];
        foreach (var period in plan)
        {
            booked[Math.Clamp(period, 0, Periods)]++;
        }
        var over = 0;
        for (var k = 0; k < Periods; k++)
        {
            over += Math.Max(0, booked[k] - Capacity);
        }
        return over;
    }

    /// <summary>Services booked in each period.</summary>
    public int[] Booked(IReadOnlyList<int> plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var booked = new int[Periods];
        foreach (var period in plan)
        {
            if (period >= 0 && period < Periods)
            {
                booked[period]++;
            }
        }
        return booked;
    }
}
