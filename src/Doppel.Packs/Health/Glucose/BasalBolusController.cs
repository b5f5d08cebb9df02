namespace Doppel.Packs.Health.Glucose;

/// <summary>
/// simglucose's <c>BBController</c>, a patient's usual therapy: the basal that holds the steady state (u2ss·BW/6000 U/min)
/// every step and, in the step after a meal, a bolus of carbs/CR plus, when CGM &gt; 150, (CGM − target)/CF, spread over
/// the step.
/// </summary>
public sealed class BasalBolusController : IGlucoseController
{
    /// <summary>A controller correcting towards <paramref name="target"/> mg/dL (simglucose's default 140).</summary>
    public BasalBolusController(double target = 140)
    {
        if (!double.IsFinite(target) || target <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, "The target is a glucose above 0 mg/dL.");
        }
        Target = target;
    }

    /// <summary>The correction target (mg/dL).</summary>
    public double Target { get; }

    /// <inheritdoc/>
    public string Name => "basal-bolus";

    /// <inheritdoc/>
    public ControllerAction Decide(ControllerObservation observation)
    {
        var p = observation.Patient ?? throw new ArgumentException("The observation names no patient.", nameof(observation));
        var basal = p.U2ss * p.BW / 6000;
        double bolus = 0;
        if (observation.Meal > 0)
        {
            var correction = observation.Cgm > 150 ? (observation.Cgm - Target) / p.CorrectionFactor : 0;
            bolus = observation.Meal * observation.SampleTime / p.CarbRatio + correction;
        }
        return new ControllerAction(basal, bolus / observation.SampleTime);
    }

    /// <inheritdoc/>
    public void Reset()
    {
    }
}
