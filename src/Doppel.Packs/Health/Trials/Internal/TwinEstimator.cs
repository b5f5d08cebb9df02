using Doppel.Estimation;
using Doppel.Packs.Health.Glucose;

namespace Doppel.Packs.Health.Trials.Internal;

/// <summary>
/// The twin's hidden state kept in step with the CGM by a filter of the estimation library on the patient's UVA/Padova
/// model: between readings the filter forecasts with the insulin the controller gave and the meals announced to it,
/// at each reading it corrects with the CGM. The eating (<see cref="TwinMeal"/>) is advanced on the mean, the same for
/// every sigma point.
/// </summary>
internal sealed class TwinEstimator
{
    private const int Size = UvaPadova.StateSize;
    private static readonly int[] GlucoseStates = [3, 4, 12];

    private readonly TwinModel _model;
    private readonly ModelFunctions _holder;
    private readonly MpcSettings _settings;
    private readonly double[] _scale = new double[Size];
    private const int LongestStep = 60;

    private readonly double[] _eaten = new double[LongestStep];
    private readonly MealState[] _meals = new MealState[LongestStep];
    private double _insulin;
    private double _time;
    private IStateEstimator _filter;

    /// <summary>The meal being eaten and digested, as the twin knows it (a field: predictions copy it).</summary>
    public TwinMeal Meal;

    public TwinEstimator(TwinModel model, MpcSettings settings, double firstCgm)
    {
        _model = model;
        _settings = settings;
        var p = model.Patient;
        var start = p.InitialState.ToArray();
        // The twin starts at the basal steady state with its glucose where the first reading puts it.
        var factor = double.IsFinite(firstCgm) && firstCgm > 0 ? firstCgm / model.Glucose(start) : 1;
        foreach (var i in GlucoseStates)
        {
            start[i] *= factor;
        }
        for (var i = 0; i < Size; i++)
        {
            // Stomach and gut are empty at steady state: their scale is a small meal's worth (mg).
            _scale[i] = Math.Max(Math.Abs(p.InitialState[i]), i <= 2 ? 1000 : 1e-3);
        }
        Meal = TwinMeal.Fasting(start);
        _holder = new ModelFunctions(this);
        _filter = NewFilter(start, InitialCovariance());
    }

    /// <summary>The estimated state (the filter's mean).</summary>
    public double[] Mean => _filter.Mean;

    /// <summary>Forecasts <paramref name="minutes"/> ahead: <paramref name="carbs"/> grams announced at the first minute, <paramref name="insulin"/> U/min throughout.</summary>
    public void Advance(int minutes, double carbs, double insulin)
    {
        if (minutes <= 0)
        {
            return;
        }
        if (minutes > LongestStep)
        {
            throw new ArgumentOutOfRangeException(nameof(minutes), minutes, $"The twin forecasts at most {LongestStep} minutes between readings.");
        }
        var x = _filter.Mean;
        var meal = Meal;
        for (var m = 0; m < minutes; m++)
        {
            _eaten[m] = meal.Eat(m == 0 ? carbs : 0, x);
            _meals[m] = meal.State;
        }
        Meal = meal;
        _insulin = insulin;
        var mean = _filter.Mean;
        try
        {
            _filter.Predict(minutes);
        }
        catch (InvalidOperationException)
        {
            // The filter rejected a forecast (a sigma point left the model's domain): restart around the last mean.
            _filter = NewFilter(mean, InitialCovariance());
            _filter.Predict(minutes);
        }
        _time += minutes;
    }

    /// <summary>Corrects the estimate with a CGM reading.</summary>
    public void Correct(double cgm)
    {
        if (!double.IsFinite(cgm))
        {
            return;
        }
        var mean = _filter.Mean;
        try
        {
            _filter.Update([cgm]);
        }
        catch (InvalidOperationException)
        {
            _filter = NewFilter(mean, InitialCovariance());
        }
    }

    private IStateEstimator NewFilter(double[] mean, double[,] covariance)
    {
        var model = new StateSpaceModel(Size, 1, _holder.Transition, _holder.Observe)
        {
            ObservationNoise = new[,] { { _settings.SensorNoise * _settings.SensorNoise } },
            ProcessNoise = ProcessNoise,
        };
        return _settings.Estimator == StateEstimatorKind.Extended
            ? new ExtendedKalmanFilter(model, mean, covariance, startTime: _time)
            : new UnscentedKalmanFilter(model, mean, covariance, startTime: _time);
    }

    private double[,] InitialCovariance()
    {
        var p = new double[Size, Size];
        for (var i = 0; i < Size; i++)
        {
            var sd = (i <= 2 ? 0.05 : 0.1) * _scale[i];
            p[i, i] = sd * sd;
        }
        return p;
    }

    private double[,] ProcessNoise(double dt)
    {
        var q = new double[Size, Size];
        for (var i = 0; i < Size; i++)
        {
            var sd = _settings.ProcessNoise * _scale[i];
            q[i, i] = sd * sd * dt;
        }
        return q;
    }

    /// <summary>The model's functions, reading the inputs of the interval being forecast.</summary>
    private sealed class ModelFunctions(TwinEstimator owner)
    {
        public void Transition(double t, double dt, ReadOnlySpan<double> x, Span<double> next)
        {
            x.CopyTo(next);
            var first = (int)Math.Round(t - owner._time);
            var minutes = (int)Math.Round(dt);
            for (var m = 0; m < minutes; m++)
            {
                var k = first + m;
                var inSchedule = k >= 0 && k < owner._eaten.Length;
                owner._model.Step(next, inSchedule ? owner._meals[k] : owner.Meal.State, inSchedule ? owner._eaten[k] : 0, owner._insulin);
            }
        }

        public void Observe(double t, ReadOnlySpan<double> x, Span<double> y) => y[0] = owner._model.Glucose(x);
    }
}
