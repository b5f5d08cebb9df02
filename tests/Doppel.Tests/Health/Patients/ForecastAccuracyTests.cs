using System.Globalization;
using Doppel.Packs.Health.Glucose;
using Doppel.Packs.Health.Patients;
using Xunit.Abstractions;

namespace Doppel.Tests.Health.Patients;

/// <summary>
/// The patient twin's forecasts on simulated days it was not tuned on: the 30-minute forecast beats holding the last
/// reading, its 90% interval covers most of the truth, and the estimate is closer to the truth than the noisy readings.
/// </summary>
public sealed class ForecastAccuracyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("adult#003", 11u)]
    [InlineData("adolescent#004", 12u)]
    [InlineData("child#005", 13u)]
    public void Forecasts_on_a_held_out_day_beat_the_last_reading_and_their_intervals_cover_the_truth(string name, uint seed)
    {
        var patient = PatientParameters.Find(name).Value!;

        var score = ForecastEvaluation.Run(patient, "GuardianRT", seed, days: 1);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{score.Patient}: {score.Forecasts} forecasts; MAE30 {score.Mae30:F1} (naive {score.NaiveMae30:F1}), MAE60 {score.Mae60:F1} (naive {score.NaiveMae60:F1}), coverage30 {score.Coverage30:P0}, coverage60 {score.Coverage60:P0}, estimate MAE {score.EstimateMae:F1} vs readings {score.ReadingMae:F1}; lows {score.Lows}, warned {score.Warned}, lead {score.LeadMinutes:F0} min, false alerts {score.FalseAlerts}"));
        Assert.True(score.Mae30 < score.NaiveMae30, $"MAE30 {score.Mae30} is not below the naive {score.NaiveMae30}");
        Assert.True(score.EstimateMae < score.ReadingMae, $"the estimate's error {score.EstimateMae} is not below the readings' {score.ReadingMae}");
        Assert.InRange(score.Coverage30, 0.75, 1);
        Assert.InRange(score.Coverage60, 0.7, 1);
    }
}
