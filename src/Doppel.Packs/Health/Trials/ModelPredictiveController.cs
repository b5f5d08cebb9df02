using Doppel.Packs.Health.Glucose;
using Doppel.Packs.Health.Trials.Internal;

namespace Doppel.Packs.Health.Trials;

/// <summary>
/// A model-predictive controller on the patient's twin: the UVA/Padova model with the patient's parameters, its
/// hidden state estimated from the CGM by a Kalman filter of the estimation library (unscented by default). At each
/// sensor step it predicts glucose over <see cref="MpcSettings.Horizon"/> for every candidate plan (a basal rate held
/// for <see cref="MpcSettings.Hold"/> minutes, and while an announced meal awaits its bolus, a fraction of the carb-ratio
/// bolus), scores each prediction by Kovatchev's risk with lows weighted up, and gives the first step of the best plan.
/// Safety: plans that would leave more subcutaneous insulin on board than the recent meals' boluses plus a share of the
/// total daily insulin are not weighed, and insulin is suspended when even the chosen plan predicts a low.
/// </summary>
public sealed class ModelPredictiveController : IGlucoseController
{
    private const double PendingMealLimit = 60;
    private const double MealMemory = 180;
    private const int CostInterval = 5;

    private readonly MpcSettings _settings;
    private readonly List<(double Time, double Bolus)> _recentMeals = [];
    private TwinModel? _model;
    private TwinEstimator? _twin;
    private readonly double[] _trajectory = new double[UvaPadova.StateSize];
    private double _lastInsulin;
    private double _minutes;
    private (double Time, double Grams)? _pendingMeal;

    /// <summary>A controller with <paramref name="settings"/> (the defaults when null).</summary>
    public ModelPredictiveController(MpcSettings? settings = null)
    {
        _settings = settings ?? new MpcSettings();
        if (_settings.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(settings));
        }
    }

    /// <inheritdoc/>
    public string Name => "mpc";

    /// <summary>The twin's estimate of the glucose now (mg/dL), NaN before the first decision.</summary>
    public double EstimatedGlucose => _twin is null || _model is null ? double.NaN : _model.Glucose(_twin.Mean);

    /// <inheritdoc/>
    public ControllerAction Decide(ControllerObservation observation)
    {
        var p = observation.Patient ?? throw new ArgumentException("The observation names no patient.", nameof(observation));
        var dt = (int)Math.Round(observation.SampleTime);
        var carbs = observation.Meal * observation.SampleTime;
        if (_model is null || _twin is null || !ReferenceEquals(_model.Patient, p))
        {
            _model = new TwinModel(p);
            _twin = new TwinEstimator(_model, _settings, observation.Cgm);
        }
        else
        {
            // The step just done: the insulin given and the meal announced in it, then the reading at its end.
            _twin.Advance(dt, carbs, _lastInsulin);
            _minutes += dt;
        }
        _twin.Correct(observation.Cgm);

        if (carbs > 0)
        {
            _pendingMeal = (_minutes, carbs + (_pendingMeal?.Grams ?? 0));
        }
        if (_pendingMeal is { } pending && _minutes - pending.Time > PendingMealLimit)
        {
            _pendingMeal = null;
        }
        _recentMeals.RemoveAll(m => _minutes - m.Time > MealMemory);

        var basal = p.BasalRate;
        var mealBolus = _pendingMeal is { } meal ? meal.Grams / p.CarbRatio : 0;
        var allowance = _recentMeals.Sum(m => m.Bolus) + mealBolus + (_settings.CorrectionOnBoard * p.TotalDailyInsulin);
        var state = _twin.Mean;
        var fractions = mealBolus > 0 ? _settings.BolusFractions : [0.0];

        var best = (Cost: double.PositiveInfinity, Multiple: 0.0, Bolus: 0.0, Lowest: double.PositiveInfinity);
        foreach (var fraction in fractions)
        {
            foreach (var multiple in _settings.BasalMultiples)
            {
                var bolus = fraction * mealBolus;
                var prediction = Predict(state, multiple * basal, bolus, dt, basal);
                var feasible = prediction.OnBoard <= allowance || (multiple <= 1 && bolus == 0);
                // A small price on insulin away from basal breaks ties towards the usual therapy.
                var cost = prediction.Cost + (1e-3 * (Math.Abs(multiple - 1) + fraction));
                if (feasible && cost < best.Cost)
                {
                    best = (cost, multiple, bolus, prediction.Lowest);
                }
            }
        }

        var rate = best.Multiple * basal;
        var given = best.Bolus;
        if (best.Lowest < _settings.SuspendBelow)
        {
            rate = 0;
            given = 0;
        }
        if (given > 0)
        {
            _recentMeals.Add((_minutes, given));
            _pendingMeal = null;
        }
        _lastInsulin = rate + (given / dt);
        return new ControllerAction(rate, given / dt);
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _model = null;
        _twin = null;
        _lastInsulin = 0;
        _minutes = 0;
        _pendingMeal = null;
        _recentMeals.Clear();
    }

    /// <summary>
    /// The twin's glucose over the horizon under a plan (<paramref name="bolus"/> U over the first <paramref name="bolusMinutes"/>,
    /// <paramref name="rate"/> U/min for the hold, then <paramref name="basal"/>): its cost, its lowest value within the
    /// suspension lookahead, and the insulin on board at the end of the hold.
    /// </summary>
    private (double Cost, double Lowest, double OnBoard) Predict(double[] start, double rate, double bolus, int bolusMinutes, double basal)
    {
        var model = _model!;
        var x = _trajectory;
        start.CopyTo(x, 0);
        var meal = _twin!.Meal;
        var horizon = (int)_settings.Horizon;
        var hold = (int)_settings.Hold;
        double cost = 0, lowest = double.PositiveInfinity, onBoard = 0;
        for (var m = 0; m < horizon; m++)
        {
            // After the hold the prediction follows the controller's own later behaviour: basal, cut while glucose is low.
            var later = model.Glucose(x) < _settings.PredictedSuspendBelow ? 0 : basal;
            var insulin = (m < hold ? rate : later) + (m < bolusMinutes ? bolus / bolusMinutes : 0);
            var eaten = meal.Eat(0, x);
            model.Step(x, meal.State, eaten, insulin);
            if (m + 1 == hold)
            {
                onBoard = model.InsulinOnBoard(x);
            }
            if ((m + 1) % CostInterval == 0)
            {
                var bg = model.Glucose(x);
                if (!double.IsFinite(bg))
                {
                    return (double.PositiveInfinity, double.NegativeInfinity, double.PositiveInfinity);
                }
                var (low, high, _) = GlucoseRisk.Of(bg);
                // Kovatchev's risk is symmetric in risk (70 and 180 mg/dL score alike); below the hypoglycaemia guard lows cost more.
                cost += low + high + (bg < _settings.LowGuard ? _settings.LowRiskWeight * low : 0);
                if (m + 1 <= _settings.SuspendLookahead)
                {
                    lowest = Math.Min(lowest, bg);
                }
            }
        }
        return (cost, lowest, onBoard);
    }
}
