using System.Globalization;
using Doppel.Packs.Health.Glucose;

namespace Doppel.Tests.Packs.Health.Glucose;

/// <summary>
/// Against simglucose's own regression run (Data/simglucose/sim_results.csv: adolescent#001, Dexcom seed 1, Insulet,
/// RandomScenario seed 1 from 2018-01-01, basal-bolus, 2 days): the recorded inputs replayed on the patient give its BG,
/// and the whole closed loop gives its BG, CGM, CHO, insulin and risk, within 0.1 mg/dL at every row (in fact far closer).
/// </summary>
public sealed class SimglucoseReferenceTests
{
    private static readonly DateTime Start = new(2018, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    [Fact]
    public void Replaying_the_reference_inputs_on_adolescent_001_gives_its_BG_at_every_row()
    {
        var reference = ReferenceRun.Read(ReferenceRun.ReferencePath);
        Assert.Equal(961, reference.Count);
        var patient = new VirtualPatient(PatientParameters.Find("adolescent#001").Value!);
        // The CSV holds a step's mean carbohydrate, not the minute of the meal within the 3-minute step: the minute is
        // the scenario's, whose meals must add up to exactly the recorded grams of every step.
        var scenario = new RandomMealScenario(Start, 1);
        var worst = 0.0;
        for (var row = 0; row + 1 < reference.Count; row++)
        {
            var step = reference[row];
            var grams = 0.0;
            var bg = 0.0;
            for (var minute = 0; minute < 3; minute++)
            {
                var carbs = scenario.CarbsAt(step.Time.AddMinutes(minute));
                grams += carbs;
                patient.Step(carbs, step.Insulin!.Value);
                bg += patient.Glucose / 3;
            }
            Assert.Equal(step.Cho!.Value * 3, grams, 9);
            worst = Math.Max(worst, Math.Abs(bg - reference[row + 1].Bg));
        }
        Assert.True(worst < 0.1, $"max |BG - simglucose| = {worst} mg/dL");
        Assert.True(worst < 1e-6, $"the same solver should agree to the last digits; max |BG - simglucose| = {worst.ToString(CultureInfo.InvariantCulture)} mg/dL");
    }

    [Fact]
    public void The_closed_loop_gives_the_reference_run_row_for_row()
    {
        var reference = ReferenceRun.Read(ReferenceRun.ReferencePath);
        var trace = new GlucoseSimulation(
            new VirtualPatient(PatientParameters.Find("adolescent#001").Value!),
            CgmSensor.Create("Dexcom", 1).Value!,
            InsulinPump.Create("Insulet").Value!,
            new RandomMealScenario(Start, 1),
            new BasalBolusController(),
            Start).Run(TimeSpan.FromDays(2));

        Assert.Equal(reference.Count, trace.Rows.Count);
        for (var i = 0; i < reference.Count; i++)
        {
            var (expected, actual) = (reference[i], trace.Rows[i]);
            Assert.Equal(expected.Time, actual.Time);
            Assert.True(Math.Abs(expected.Bg - actual.Bg) < 1e-6, $"row {i} ({expected.Time}): BG {actual.Bg} vs {expected.Bg}");
            Assert.True(Math.Abs(expected.Cgm - actual.Cgm) < 1e-6, $"row {i} ({expected.Time}): CGM {actual.Cgm} vs {expected.Cgm}");
            Assert.Equal(expected.Cho.HasValue, actual.Cho.HasValue);
            Assert.Equal(expected.Cho ?? 0, actual.Cho ?? 0, 12);
            Assert.Equal(expected.Insulin ?? 0, actual.Insulin ?? 0, 12);
            Assert.Equal(expected.Risk, actual.Risk, 6);
            Assert.Equal(expected.Lbgi, actual.Lbgi, 6);
            Assert.Equal(expected.Hbgi, actual.Hbgi, 6);
        }
    }
}
