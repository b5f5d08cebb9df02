using Doppel.Packs.Health.Glucose;

namespace Doppel.Packs.Health.Trials.Internal;

/// <summary>
/// The twin's eating, as <see cref="VirtualPatient"/> eats: announced grams are eaten at most 5 g a minute, and the
/// gastric emptying remembers the stomach's content when eating started. A value, so predictions copy it freely.
/// </summary>
internal struct TwinMeal
{
    public MealState State;
    public double Planned;
    public double LastEaten;
    public bool IsEating;

    public static TwinMeal Fasting(ReadOnlySpan<double> x) => new() { State = new MealState(x[0] + x[1], 0) };

    /// <summary>Announces <paramref name="carbs"/> grams this minute and returns what is eaten in it (g/min).</summary>
    public double Eat(double carbs, ReadOnlySpan<double> x)
    {
        Planned += carbs;
        double eaten = 0;
        if (Planned > 0)
        {
            eaten = Math.Min(VirtualPatient.EatRate, Planned);
            Planned = Math.Max(0, Planned - eaten);
        }
        if (eaten > 0 && LastEaten <= 0)
        {
            State = new MealState(x[0] + x[1], 0);
            IsEating = true;
        }
        if (IsEating)
        {
            State = State with { LastFoodTaken = State.LastFoodTaken + eaten };
        }
        if (eaten <= 0 && LastEaten > 0)
        {
            IsEating = false;
        }
        LastEaten = eaten;
        return eaten;
    }
}
