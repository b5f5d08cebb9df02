namespace Doppel.Packs.Health.Glucose;

/// <summary>A meal of a custom scenario: <paramref name="Grams"/> of carbohydrate at <paramref name="After"/> the scenario's start (rounded to the minute).</summary>
public readonly record struct ScheduledMeal(TimeSpan After, double Grams);
