namespace Doppel.Packs.Health.Patients;

/// <summary>Something planned for a patient after the estimate's time: a meal, a bolus or a new basal rate.</summary>
/// <param name="Name">A name what-ifs refer to (<c>skip: [snack]</c>), or null.</param>
/// <param name="After">Minutes after the estimate's time.</param>
/// <param name="Carbs">Carbohydrate eaten then (g), or 0.</param>
/// <param name="Bolus">Insulin delivered then (U), or 0.</param>
/// <param name="Basal">The basal rate from then on (U/h), or null.</param>
public sealed record PlannedEvent(string? Name, double After, double Carbs, double Bolus, double? Basal);
