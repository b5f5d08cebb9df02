namespace Doppel.Packs.Health.Glucose;

/// <summary>
/// Meals at given times after a start, as simglucose's <c>CustomScenario</c>: a meal's offset is rounded to the minute
/// (half to even, as Python's <c>round</c>); when two meals fall on the same minute, the first listed counts.
/// </summary>
public sealed class CustomMealScenario : IMealScenario
{
    private readonly Dictionary<DateTime, double> _meals = [];

    private CustomMealScenario(DateTime start, IReadOnlyList<ScheduledMeal> meals)
    {
        Start = start;
        Meals = meals;
        foreach (var meal in meals)
        {
            _meals.TryAdd(start.AddMinutes(Math.Round(meal.After.TotalMinutes)), meal.Grams);
        }
    }

    /// <summary>The time offsets count from.</summary>
    public DateTime Start { get; }

    /// <summary>The meals, as given.</summary>
    public IReadOnlyList<ScheduledMeal> Meals { get; }

    /// <summary>A scenario of <paramref name="meals"/>; an error names the first meal with a negative or non-finite amount or offset.</summary>
    public static Result<CustomMealScenario> Create(DateTime start, IEnumerable<ScheduledMeal> meals)
    {
        ArgumentNullException.ThrowIfNull(meals);
        var list = meals.ToArray();
        for (var i = 0; i < list.Length; i++)
        {
            if (!double.IsFinite(list[i].Grams) || list[i].Grams < 0)
            {
                return new DoppelError("invalid-meal", $"Meal {i + 1} (at {list[i].After}) has {list[i].Grams} g of carbohydrate: a meal is 0 g or more.");
            }
            if (list[i].After < TimeSpan.Zero)
            {
                return new DoppelError("invalid-meal", $"Meal {i + 1} is at {list[i].After}, before the scenario's start: a meal's time is an offset of 0 or more.");
            }
        }
        return Result<CustomMealScenario>.Ok(new CustomMealScenario(start, list));
    }

    /// <inheritdoc/>
    public double CarbsAt(DateTime time) => _meals.TryGetValue(time, out var grams) ? grams : 0;
}
