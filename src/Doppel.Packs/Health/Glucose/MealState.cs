namespace Doppel.Packs.Health.Glucose;

/// <summary>
/// What the gastric emptying rate of the UVA/Padova model remembers of the meal being digested: the stomach's content
/// when the patient started eating (mg) and the carbohydrate taken since (g), as simglucose's <c>_last_Qsto</c> and
/// <c>_last_foodtaken</c>.
/// </summary>
public readonly record struct MealState(double LastQsto, double LastFoodTaken);
