using Doppel.Packs.Health.Glucose;

namespace Doppel.Packs.Health.Trials;

/// <summary>A meal scenario of a trial: its name and how to make its meals from a start and a replication's seed.</summary>
public sealed record TrialScenario(string Name, Func<DateTime, uint, IMealScenario> Meals)
{
    /// <summary>simglucose's random scenario (three meals and up to three snacks a day, drawn from the seed).</summary>
    public static TrialScenario Random { get; } = new("random", (start, seed) => new RandomMealScenario(start, seed));
}
