using Doppel.Packs.Health.Glucose;

namespace Doppel.Packs.Health.Patients.Internal;

/// <summary>
/// What the virtual patient remembers of eating, as <see cref="VirtualPatient"/> does: carbohydrate announced and not
/// eaten yet, what it eats in <see cref="Minute"/>, whether a meal is in progress, and the meal being digested.
/// </summary>
internal readonly record struct EatingState(double Planned, double Eating, bool InMeal, MealState Meal, long Minute)
{
    /// <summary>Nothing announced, nothing being eaten, the stomach's content as the meal memory (as a new patient).</summary>
    public static EatingState Fasting(ReadOnlySpan<double> x, long minute) => new(0, 0, false, new MealState(x[0] + x[1], 0), minute);

    /// <summary>The minute begins: <paramref name="announced"/> g more to eat, at most <see cref="VirtualPatient.EatRate"/> a minute.</summary>
    public EatingState Begin(long minute, double announced, ReadOnlySpan<double> x)
    {
        var planned = Planned + announced;
        var toEat = planned > 0 ? Math.Min(VirtualPatient.EatRate, planned) : 0;
        planned = Math.Max(0, planned - toEat);
        var meal = Meal;
        var inMeal = InMeal;
        if (toEat > 0 && Eating <= 0)
        {
            meal = new MealState(x[0] + x[1], 0);
            inMeal = true;
        }
        if (inMeal)
        {
            meal = meal with { LastFoodTaken = meal.LastFoodTaken + toEat };
        }
        if (toEat <= 0 && Eating > 0)
        {
            inMeal = false;
        }
        return new EatingState(planned, toEat, inMeal, meal, minute);
    }
}
