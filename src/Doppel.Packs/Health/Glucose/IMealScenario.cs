namespace Doppel.Packs.Health.Glucose;

/// <summary>
/// The meals a patient announces: the grams of carbohydrate at a minute (0 at most minutes). A scenario is a pure
/// function of time, so one scenario can drive many simulations at once (trials run them in parallel).
/// </summary>
public interface IMealScenario
{
    /// <summary>The grams of carbohydrate announced at the minute starting at <paramref name="time"/>.</summary>
    double CarbsAt(DateTime time);
}
