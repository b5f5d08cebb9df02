using Doppel.Packs.Health.Glucose;
using Doppel.Packs.Health.Trials.Internal;

namespace Doppel.Packs.Health.Trials;

/// <summary>
/// A PID controller on CGM around the patient's basal: u = basal + (e + ∫e dt/Ti + Td·de/dt) / (CF · Tc), e = CGM − target,
/// with the derivative from a smoothed CGM slope, the integral frozen while the output saturates (anti-windup), the
/// announced meal's carb-ratio bolus, insulin on board above the correction the deviation needs held back, and
/// suspension when CGM is low or heading low.
/// </summary>
public sealed class PidController : IGlucoseController
{
    private readonly PidSettings _settings;
    private readonly InsulinOnBoard _onBoard = new(peak: 75, duration: 300);
    private double _integral;
    private double _slope;
    private double _previous = double.NaN;
    private double _minutes;

    /// <summary>A controller with <paramref name="settings"/> (the defaults when null).</summary>
    public PidController(PidSettings? settings = null)
    {
        _settings = settings ?? new PidSettings();
        if (_settings.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(settings));
        }
    }

    /// <inheritdoc/>
    public string Name => "pid";

    /// <inheritdoc/>
    public ControllerAction Decide(ControllerObservation observation)
    {
        var p = observation.Patient ?? throw new ArgumentException("The observation names no patient.", nameof(observation));
        var dt = observation.SampleTime;
        var cgm = observation.Cgm;
        var basal = p.BasalRate;
        var error = cgm - _settings.Target;

        // A first-order filter over the CGM differences: the sensor's noise would otherwise drive the derivative.
        if (!double.IsNaN(_previous))
        {
            var raw = (cgm - _previous) / dt;
            _slope += Math.Min(1, dt / 15) * (raw - _slope);
        }
        _previous = cgm;

        var bolus = 0.0;
        if (observation.Meal > 0)
        {
            bolus = _settings.MealBolus * observation.Meal * dt / p.CarbRatio;
        }

        var gain = 1 / (p.CorrectionFactor * _settings.CorrectionTime);
        var integral = _settings.IntegralTime > 0 ? _integral / _settings.IntegralTime : 0;
        var feedback = gain * (error + integral + (_settings.DerivativeTime * _slope));
        var rate = basal + feedback;
        var max = basal * _settings.MaxBasalMultiple;
        var saturated = rate <= 0 || rate >= max;
        rate = Math.Clamp(rate, 0, max);

        // Insulin on board above what the deviation calls for: no more than basal until it has acted.
        if (rate > basal && _onBoard.At(_minutes) > Math.Max(0, error) / p.CorrectionFactor)
        {
            rate = basal;
            saturated = true;
        }
        if (cgm < _settings.SuspendBelow || cgm + (30 * _slope) < 70)
        {
            rate = 0;
            bolus = 0;
            saturated = true;
        }
        if (!saturated || Math.Sign(error) != Math.Sign(_integral))
        {
            _integral += error * dt;
        }

        _onBoard.Add(_minutes, ((rate - basal) * dt) + bolus);
        _minutes += dt;
        return new ControllerAction(rate, bolus / dt);
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _integral = 0;
        _slope = 0;
        _previous = double.NaN;
        _minutes = 0;
        _onBoard.Clear();
    }
}
