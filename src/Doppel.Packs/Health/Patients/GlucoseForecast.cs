using System.Text.Json.Nodes;

namespace Doppel.Packs.Health.Patients;

/// <summary>
/// What a <see cref="GlucoseEstimator"/> says after a CGM reading: the estimated blood glucose now, the forecast every
/// 5 minutes up to an hour with intervals, the risk of a hypoglycaemia soon, and the insulin still to act.
/// </summary>
/// <param name="Time">The reading the forecast starts from.</param>
/// <param name="Glucose">The estimated blood glucose now (mg/dL, the filter's mean).</param>
/// <param name="Band">The forecast every 5 minutes from 0 to 60 (the first point is now).</param>
/// <param name="HypoRisk">The share of the ensemble below the hypoglycaemia threshold within the risk horizon.</param>
/// <param name="InsulinOnBoard">Estimated subcutaneous insulin above the patient's steady state (U).</param>
public sealed record GlucoseForecast(DateTimeOffset Time, double Glucose, IReadOnlyList<ForecastPoint> Band, double HypoRisk, double InsulinOnBoard)
{
    /// <summary>The point <paramref name="minutes"/> ahead.</summary>
    public ForecastPoint At(double minutes) => Band.First(p => Math.Abs(p.Minutes - minutes) < 1e-9);

    /// <summary>The reported properties of the patient twin that carry it (dtmi:doppel:health:Patient;1).</summary>
    public JsonObject ToProperties()
    {
        var now = At(0);
        var in30 = At(30);
        var in60 = At(60);
        return new JsonObject
        {
            ["glucose"] = Round(Glucose),
            ["glucoseLower"] = Round(now.Lower),
            ["glucoseUpper"] = Round(now.Upper),
            ["glucoseForecast30"] = Round(in30.Median),
            ["glucoseForecast30Lower"] = Round(in30.Lower),
            ["glucoseForecast30Upper"] = Round(in30.Upper),
            ["glucoseForecast60"] = Round(in60.Median),
            ["glucoseForecast60Lower"] = Round(in60.Lower),
            ["glucoseForecast60Upper"] = Round(in60.Upper),
            ["hypoRisk"] = Math.Round(HypoRisk, 3),
            ["insulinOnBoard"] = Math.Round(InsulinOnBoard, 3),
            ["estimatedAt"] = Time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static double Round(double value) => Math.Round(value, 1);
}
