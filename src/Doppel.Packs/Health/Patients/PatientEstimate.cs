using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Packs.Health.Glucose;

namespace Doppel.Packs.Health.Patients;

/// <summary>
/// A patient twin's estimated hidden state at a reading: the UVA/Padova state's mean and covariance, what the patient
/// is eating, and the basal rate in force; written on the twin (property <c>estimate</c>) so that a what-if forks from
/// it, now or at a past time.
/// </summary>
/// <param name="Time">The reading the estimate belongs to.</param>
/// <param name="Mean">The 13 states' mean (simglucose's units).</param>
/// <param name="Covariance">Their covariance, row by row (169 values).</param>
/// <param name="Planned">Announced carbohydrate not eaten yet (g).</param>
/// <param name="Eating">What the patient eats this minute (g/min).</param>
/// <param name="InMeal">Whether a meal is in progress.</param>
/// <param name="MealQsto">The stomach's content when the meal being digested started (mg).</param>
/// <param name="MealFood">Carbohydrate of that meal taken so far (g).</param>
/// <param name="Basal">The basal rate in force (U/h).</param>
public sealed record PatientEstimate(DateTimeOffset Time, IReadOnlyList<double> Mean, IReadOnlyList<double> Covariance, double Planned, double Eating, bool InMeal, double MealQsto, double MealFood, double Basal)
{
    /// <summary>The name of the patient twin's property that holds it.</summary>
    public const string Property = "estimate";

    public JsonObject ToJson() => new()
    {
        ["time"] = Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["mean"] = new JsonArray([.. Mean.Select(v => (JsonNode)v)]),
        ["covariance"] = new JsonArray([.. Covariance.Select(v => (JsonNode)v)]),
        ["planned"] = Planned,
        ["eating"] = Eating,
        ["inMeal"] = InMeal,
        ["mealQsto"] = MealQsto,
        ["mealFood"] = MealFood,
        ["basal"] = Basal,
    };

    /// <summary>Reads an estimate a twin holds; an error says what is missing or malformed.</summary>
    public static Result<PatientEstimate> FromJson(JsonNode? json)
    {
        if (json is not JsonObject o)
        {
            return Invalid("not a JSON object");
        }
        try
        {
            var mean = Numbers(o["mean"]);
            var covariance = Numbers(o["covariance"]);
            if (mean.Count != UvaPadova.StateSize || covariance.Count != UvaPadova.StateSize * UvaPadova.StateSize)
            {
                return Invalid($"mean has {mean.Count} values and covariance {covariance.Count}; the UVA/Padova state needs {UvaPadova.StateSize} and {UvaPadova.StateSize * UvaPadova.StateSize}");
            }
            var time = DateTimeOffset.Parse((string?)o["time"] ?? throw new FormatException("no time"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            return Result<PatientEstimate>.Ok(new PatientEstimate(time, mean, covariance, (double)o["planned"]!, (double)o["eating"]!, (bool)o["inMeal"]!, (double)o["mealQsto"]!, (double)o["mealFood"]!, (double)o["basal"]!));
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or NullReferenceException)
        {
            return Invalid(e.Message);
        }
    }

    private static List<double> Numbers(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(v => (double)v!)] : throw new FormatException("an array of numbers is missing");

    private static Result<PatientEstimate> Invalid(string why) => Result<PatientEstimate>.Fail("InvalidArgument", $"The patient's estimate is not readable: {why}.");
}
