using System.Globalization;
using Doppel.Packs.Health.Glucose;

namespace Doppel.Tests.Packs.Health.Glucose;

/// <summary>
/// The parts of the simulator against numbers simglucose printed (numpy 1.24.2, scipy 1.10.1): a seed's meals, a
/// sensor's noise; and the errors a user sees for names and amounts that do not exist.
/// </summary>
public sealed class GlucoseModelTests
{
    private static readonly DateTime Midnight = new(2018, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    [Fact]
    public void A_random_scenario_seed_gives_simglucoses_meals_day_after_day()
    {
        // simglucose: RandomScenario(seed=7) from midnight; the draw at reset is replaced by the one at the first midnight.
        var scenario = new RandomMealScenario(Midnight, 7);
        Assert.Equal([(501.0, 45.0), (575, 14), (723, 71), (1075, 80)], scenario.MealsOn(Midnight));
        Assert.Equal([(400.0, 30.0), (692, 53), (1103, 85)], scenario.MealsOn(Midnight.AddDays(1)));
        Assert.Equal([(453.0, 53.0), (583, 9), (709, 74), (1007, 102)], scenario.MealsOn(Midnight.AddDays(2).AddHours(13)));
        Assert.Equal(71, scenario.CarbsAt(Midnight.AddMinutes(723)));
        Assert.Equal(0, scenario.CarbsAt(Midnight.AddMinutes(724)));
        Assert.Equal(85, scenario.CarbsAt(Midnight.AddDays(1).AddMinutes(1103)));
    }

    [Fact]
    public void A_scenario_that_starts_after_midnight_uses_the_reset_draw_for_its_first_day()
    {
        var fromMidnight = new RandomMealScenario(Midnight, 7);
        var fromMorning = new RandomMealScenario(Midnight.AddHours(6), 7);
        // The second day of the morning start is the first day of the midnight start (both are the second draw).
        Assert.Equal(fromMidnight.MealsOn(Midnight), fromMorning.MealsOn(Midnight.AddDays(1)));
        Assert.NotEqual(fromMidnight.MealsOn(Midnight), fromMorning.MealsOn(Midnight.AddHours(7)));
    }

    [Theory]
    [InlineData("Navigator", new[] { 1.462777267245961, -6.540798207186179, 0.5337855317101611, 13.469345360875284, 23.048698157249476, 21.914507407426395 })]
    [InlineData("GuardianRT", new[] { -5.494444722286665, 17.761850168675437, 22.09654494767862, -0.1650155008564374, -6.319594603184354, -8.033662474062105 })]
    public void A_sensor_seed_gives_simglucoses_noise(string sensorName, double[] everySeventh)
    {
        // simglucose: CGMNoise(params, seed=5), values 0, 7, 14, ..., 35 of the sequence. At time 0 every reading is a new sample.
        var sensor = CgmSensor.Create(sensorName, 5).Value!;
        var patient = new VirtualPatient(PatientParameters.Find("adult#003").Value!);
        var noise = Enumerable.Range(0, 40).Select(_ => sensor.Measure(patient) - patient.Glucose).Where((_, i) => i % 7 == 0).ToArray();
        for (var i = 0; i < everySeventh.Length; i++)
        {
            Assert.Equal(everySeventh[i], noise[i], 1e-9);
        }
    }

    [Fact]
    public void A_sensor_holds_its_reading_between_samples_and_starts_over_on_reset()
    {
        var sensor = CgmSensor.Create("Dexcom", 1).Value!;
        var patient = new VirtualPatient(PatientParameters.Find("child#002").Value!);
        var first = sensor.Measure(patient);
        patient.Step(0, patient.Parameters.BasalRate);
        Assert.Equal(first, sensor.Measure(patient));
        sensor.Reset();
        var again = new VirtualPatient(PatientParameters.Find("child#002").Value!);
        Assert.Equal(first, sensor.Measure(again));
    }

    [Fact]
    public void The_cohorts_hold_simglucoses_thirty_patients()
    {
        Assert.Equal(30, PatientParameters.All.Count);
        Assert.Equal(10, PatientParameters.Cohort("adults").Count);
        Assert.Equal(10, PatientParameters.Cohort("adolescents").Count);
        Assert.Equal(10, PatientParameters.Cohort("child").Count);
        Assert.Equal(30, PatientParameters.Cohort("all").Count);
        Assert.Empty(PatientParameters.Cohort("elderly"));
        var adult = PatientParameters.Find("adult#001").Value!;
        Assert.Equal(102.32, adult.BW);
        Assert.Equal(adult.Gb, adult.InitialState[12] / adult.Vg, 9);
        Assert.True(adult.CarbRatio > 0 && adult.CorrectionFactor > 0);
    }

    [Fact]
    public void A_patient_left_at_basal_insulin_stays_at_its_basal_glucose()
    {
        foreach (var parameters in PatientParameters.All)
        {
            var patient = new VirtualPatient(parameters);
            for (var minute = 0; minute < 600; minute++)
            {
                patient.Step(0, parameters.BasalRate);
            }
            Assert.True(Math.Abs(patient.Glucose - parameters.Gb) < 0.5, $"{parameters.Name}: {patient.Glucose} after 10 h at basal, basal glucose {parameters.Gb}");
        }
    }

    [Fact]
    public void Eating_is_at_most_five_grams_a_minute_and_a_meal_raises_glucose()
    {
        var patient = new VirtualPatient(PatientParameters.Find("adult#001").Value!);
        var before = patient.Glucose;
        patient.Step(12, patient.Parameters.BasalRate);
        Assert.Equal(7, patient.PlannedMeal);
        Assert.True(patient.IsEating);
        patient.Step(0, patient.Parameters.BasalRate);
        patient.Step(0, patient.Parameters.BasalRate);
        Assert.Equal(0, patient.PlannedMeal);
        Assert.Equal(12, patient.Meal.LastFoodTaken);
        patient.Step(0, patient.Parameters.BasalRate);
        Assert.False(patient.IsEating);
        for (var minute = 0; minute < 60; minute++)
        {
            patient.Step(0, patient.Parameters.BasalRate);
        }
        Assert.True(patient.Glucose > before + 5, $"{patient.Glucose} an hour after 12 g, from {before}");
    }

    [Fact]
    public void A_clone_goes_on_exactly_as_the_original()
    {
        var patient = new VirtualPatient(PatientParameters.Find("adolescent#004").Value!);
        patient.Step(50, 0.5);
        var clone = patient.Clone();
        for (var minute = 0; minute < 120; minute++)
        {
            patient.Step(0, 0.02);
            clone.Step(0, 0.02);
        }
        Assert.Equal(patient.Glucose, clone.Glucose);
        Assert.Equal(patient.State.ToArray(), clone.State.ToArray());
    }

    [Fact]
    public void The_pump_rounds_to_its_increment_half_to_even_and_clips_to_its_limits()
    {
        var pump = InsulinPump.Create("Insulet").Value!;
        Assert.Equal(0.05 / 6000, pump.Basal(0.06 / 6000), 15);
        Assert.Equal(0.0, pump.Basal(0.025 / 6000)); // 0.5 increments round to even: 0
        Assert.Equal(0.0, pump.Basal(-1));
        Assert.Equal(30.0, pump.Bolus(31));
        Assert.Equal(75.0, InsulinPump.Create("Cozmo").Value!.Bolus(100));
    }

    [Fact]
    public void The_risk_of_a_reading_is_simglucoses()
    {
        Assert.Equal((100.0, 0.0, 100.0), GlucoseRisk.Of(20));
        Assert.Equal((0.0, 100.0, 100.0), GlucoseRisk.Of(600));
        // From the reference run: BG 149.02 has risk 2.7552758979034984, all of it high.
        var (low, high, risk) = GlucoseRisk.Of(149.02);
        Assert.Equal(0, low);
        Assert.Equal(2.7552758979034984, high, 12);
        Assert.Equal(high, risk);
        Assert.True(GlucoseRisk.Of(60).Lbgi > 5 && GlucoseRisk.Of(60).Hbgi == 0);
    }

    [Fact]
    public void Unknown_names_are_refused_with_the_name_and_what_exists()
    {
        var patient = PatientParameters.Find("adult#011");
        Assert.False(patient.IsSuccess);
        Assert.Equal("unknown-patient", patient.Error!.Code);
        Assert.Contains("'adult#011'", patient.Error.Message, StringComparison.Ordinal);

        var sensor = CgmSensor.Create("Dexcon", 1);
        Assert.Equal("unknown-sensor", sensor.Error!.Code);
        Assert.Contains("did you mean 'Dexcom'", sensor.Error.Message, StringComparison.Ordinal);

        var pump = InsulinPump.Create("Omnipod");
        Assert.Equal("unknown-pump", pump.Error!.Code);
        Assert.Contains("Cozmo, Insulet", pump.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_carbohydrate_is_refused()
    {
        var scenario = CustomMealScenario.Create(Midnight, [new ScheduledMeal(TimeSpan.FromHours(8), 50), new ScheduledMeal(TimeSpan.FromHours(12), -20)]);
        Assert.False(scenario.IsSuccess);
        Assert.Equal("invalid-meal", scenario.Error!.Code);
        Assert.Contains("Meal 2", scenario.Error.Message, StringComparison.Ordinal);

        var patient = new VirtualPatient(PatientParameters.All[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => patient.Step(-5, 0));
        Assert.Equal(0, patient.Time);
    }

    [Fact]
    public void A_custom_scenario_announces_each_meal_at_its_minute()
    {
        var scenario = CustomMealScenario.Create(Midnight, [new ScheduledMeal(TimeSpan.FromHours(8), 50), new ScheduledMeal(TimeSpan.FromMinutes(90.5), 10)]).Value!;
        Assert.Equal(50, scenario.CarbsAt(Midnight.AddHours(8)));
        Assert.Equal(10, scenario.CarbsAt(Midnight.AddMinutes(90))); // 90.5 rounds half to even, as Python's round
        Assert.Equal(0, scenario.CarbsAt(Midnight.AddHours(8).AddMinutes(1)));
    }

    [Fact]
    public void A_trace_is_written_as_simglucose_writes_it_and_read_back()
    {
        var reference = File.ReadAllLines(ReferenceRun.ReferencePath);
        using var reader = new StringReader(string.Join('\n', reference));
        var trace = GlucoseTrace.ReadCsv(reader, "adolescent#001").Value!;
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        trace.WriteCsv(writer);
        var written = writer.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(reference.Length, written.Length);
        Assert.Equal(reference[0], written[0]);
        // Every value prints as Python's repr: the same text as the file for the same double.
        Assert.Equal(reference, written);

        var bad = GlucoseTrace.ReadCsv(new StringReader("Time,BG,CGM,CHO,insulin,LBGI,HBGI,Risk\n2018-01-01 00:00:00,abc,1,1,1,1,1,1\n"), "x");
        Assert.Equal("invalid-trace", bad.Error!.Code);
        Assert.StartsWith("line 2:", bad.Error.Message, StringComparison.Ordinal);
    }
}
