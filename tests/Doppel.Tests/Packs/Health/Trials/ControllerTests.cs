using Doppel.Packs.Health.Glucose;
using Doppel.Packs.Health.Trials;

namespace Doppel.Tests.Packs.Health.Trials;

public sealed class ControllerTests
{
    private static readonly PatientParameters Adult = PatientParameters.Find("adult#005").Value!;
    private static readonly DateTime Start = new(2018, 1, 1);

    [Theory]
    [InlineData(StateEstimatorKind.Unscented)]
    [InlineData(StateEstimatorKind.Extended)]
    public void The_mpc_twin_estimates_glucose_closer_than_the_cgm_reads_it(StateEstimatorKind estimator)
    {
        // A day of simglucose's random meals with the Dexcom's noise: the filter's glucose is nearer the truth than the sensor.
        var mpc = new ModelPredictiveController(new MpcSettings { Estimator = estimator });
        var recorder = new Recorder(mpc);
        var simulation = new GlucoseSimulation(new VirtualPatient(Adult), CgmSensor.Create("Dexcom", 11).Value!, InsulinPump.Create("Insulet").Value!, new RandomMealScenario(Start, 11), recorder, Start);

        var trace = simulation.Run(TimeSpan.FromDays(1));

        // Decision i sees row i's CGM (the mean over the step ending then) and estimates the glucose at that time.
        double estimateError = 0, sensorError = 0;
        var n = 0;
        for (var i = 10; i < recorder.Estimates.Count; i++)
        {
            var bg = trace.Rows[i].Bg;
            estimateError += Math.Pow(recorder.Estimates[i] - bg, 2);
            sensorError += Math.Pow(recorder.Readings[i] - bg, 2);
            n++;
        }
        var estimateRmse = Math.Sqrt(estimateError / n);
        var sensorRmse = Math.Sqrt(sensorError / n);
        Assert.True(estimateRmse < 0.8 * sensorRmse, $"estimate RMSE {estimateRmse:0.00} mg/dL, CGM RMSE {sensorRmse:0.00} mg/dL");
        Assert.True(estimateRmse < 8, $"estimate RMSE {estimateRmse:0.00} mg/dL");
    }

    [Fact]
    public void The_mpc_suspends_insulin_when_the_twin_foresees_a_low()
    {
        var mpc = new ModelPredictiveController();
        var first = mpc.Decide(new ControllerObservation(Start, 60, 0, Adult, 3));

        Assert.Equal(new ControllerAction(0, 0), first);
    }

    [Fact]
    public void The_mpc_boluses_an_announced_meal_within_the_insulin_on_board_limit()
    {
        var mpc = new ModelPredictiveController();
        var decision = mpc.Decide(new ControllerObservation(Start, 140, 0, Adult, 3));
        for (var t = 1; t < 20; t++)
        {
            decision = mpc.Decide(new ControllerObservation(Start.AddMinutes(3 * t), 140, 0, Adult, 3));
        }
        Assert.Equal(0, decision.Bolus);

        // 60 g announced (20 g/min over a 3-minute step): a bolus no larger than 1.25 carb-ratio boluses.
        var meal = mpc.Decide(new ControllerObservation(Start.AddMinutes(60), 140, 20, Adult, 3));

        var units = meal.Bolus * 3;
        Assert.InRange(units, 0.3 * 60 / Adult.CarbRatio, 1.25 * 60 / Adult.CarbRatio + 1e-9);
    }

    [Fact]
    public void The_pid_holds_the_basal_at_target_and_suspends_when_low()
    {
        var pid = new PidController();
        var atTarget = pid.Decide(new ControllerObservation(Start, 130, 0, Adult, 3));
        Assert.Equal(Adult.BasalRate, atTarget.Basal, 1e-12);

        var high = pid.Decide(new ControllerObservation(Start.AddMinutes(3), 230, 0, Adult, 3));
        Assert.True(high.Basal > Adult.BasalRate);

        pid.Reset();
        var low = pid.Decide(new ControllerObservation(Start, 75, 0, Adult, 3));
        Assert.Equal(new ControllerAction(0, 0), low);
    }

    [Fact]
    public void Settings_that_cannot_work_are_refused_with_what_is_wrong()
    {
        var mpc = Assert.Throws<ArgumentException>(() => new ModelPredictiveController(new MpcSettings { Horizon = 10, BasalMultiples = [] }));
        var pid = Assert.Throws<ArgumentException>(() => new PidController(new PidSettings { CorrectionTime = 0 }));

        Assert.Contains("horizon must be 30 to 720", mpc.Message, StringComparison.Ordinal);
        Assert.Contains("basal multiples", mpc.Message, StringComparison.Ordinal);
        Assert.Contains("correction time must be a positive number", pid.Message, StringComparison.Ordinal);
    }

    private sealed class Recorder(ModelPredictiveController inner) : IGlucoseController
    {
        public List<double> Estimates { get; } = [];

        public List<double> Readings { get; } = [];

        public string Name => inner.Name;

        public ControllerAction Decide(ControllerObservation observation)
        {
            var action = inner.Decide(observation);
            Estimates.Add(inner.EstimatedGlucose);
            Readings.Add(observation.Cgm);
            return action;
        }

        public void Reset() => inner.Reset();
    }
}
