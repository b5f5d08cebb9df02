using Doppel.Estimation;
using Doppel.Packs.Health.Glucose;
using Doppel.Packs.Health.Patients.Internal;

namespace Doppel.Packs.Health.Patients;

/// <summary>
/// Keeps a patient's UVA/Padova state in step with their CGM: an unscented Kalman filter (the estimation library's) on
/// the patient's own model, stepped with the insulin and meals the pump and the patient report, corrected by each
/// reading; then a forecast ensemble drawn from the estimate and run an hour ahead with the inputs known, for the
/// forecast's intervals and the risk of a hypoglycaemia. Deterministic for a seed. Not thread-safe: one per patient,
/// used by one task.
/// </summary>
public sealed class GlucoseEstimator
{
    private const double Step = 5;
    private const double Horizon = 60;
    private readonly PatientDynamics _dynamics;
    private readonly GlucoseEstimatorOptions _options;
    private readonly InputSchedule _inputs;
    private readonly double[] _scratch = new double[UvaPadova.StateSize];
    private UnscentedKalmanFilter? _filter;
    private EatingState _eating;
    private EatingState _eatingAtStart;

    public GlucoseEstimator(PatientParameters patient, GlucoseEstimatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        _options = options ?? new GlucoseEstimatorOptions();
        if (_options.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }
        _dynamics = new PatientDynamics(patient);
        _inputs = new InputSchedule(patient.BasalRate * 60);
    }

    public PatientParameters Patient => _dynamics.Patient;

    public GlucoseEstimatorOptions Options => _options;

    /// <summary>The time of the last reading taken, or null before the first.</summary>
    public DateTimeOffset? Time { get; private set; }

    /// <summary>Readings taken since the estimate last started afresh.</summary>
    public int Readings { get; private set; }

    /// <summary>Times the estimate started afresh after the first (a long gap, or a step the model could not take).</summary>
    public int Restarts { get; private set; }

    /// <summary>The basal rate from <paramref name="time"/> on (U/h).</summary>
    public void AddBasal(DateTimeOffset time, double unitsPerHour) => _inputs.AddBasal(Minutes(time), unitsPerHour);

    /// <summary>A bolus delivered at <paramref name="time"/> (U).</summary>
    public void AddBolus(DateTimeOffset time, double units) => _inputs.AddBolus(Minutes(time), units);

    /// <summary>A meal announced at <paramref name="time"/> (g of carbohydrate).</summary>
    public void AddMeal(DateTimeOffset time, double grams) => _inputs.AddMeal(Minutes(time), grams);

    /// <summary>
    /// Takes a CGM reading (mg/dL): the estimate is forecast to its time with the inputs known, then corrected. False
    /// when the reading is not newer than the last one (it is left out).
    /// </summary>
    public bool Observe(DateTimeOffset time, double cgm)
    {
        if (!double.IsFinite(cgm) || cgm <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cgm), cgm, "A CGM reading is a positive number of mg/dL.");
        }
        var minute = Minutes(time);
        if (_filter is null || minute - _filter.Time > _options.MaxGap)
        {
            Restart(minute, cgm);
            Time = time;
            return true;
        }
        var dt = minute - _filter.Time;
        if (dt <= 0)
        {
            return false;
        }
        try
        {
            _eatingAtStart = _eating;
            var mean = _filter.Mean;
            var eatingAfter = _dynamics.Advance(_filter.Time, dt, mean, _scratch, _eating, _inputs);
            _filter.Predict(dt);
            _eating = eatingAfter;
            _filter.Update([cgm]);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            // The model could not take the step (a sigma point left the model's domain): start again from this reading.
            Restarts++;
            Restart(minute, cgm);
            Time = time;
            return true;
        }
        Readings++;
        Time = time;
        _inputs.Prune(minute - 1);
        return true;
    }

    /// <summary>The forecast from the last reading: now, every 5 minutes to an hour, with the hypoglycaemia risk.</summary>
    public GlucoseForecast Forecast(ulong seed)
    {
        var filter = _filter ?? throw new InvalidOperationException("The estimator has had no reading yet.");
        var members = filter.Sample(_options.Samples, seed);
        var glucose = Ensemble.Run(_dynamics, members, _eating, filter.Time, _inputs, Horizon, Step, _options.ProcessNoise, seed ^ 0x9E3779B97F4A7C15);
        var band = Ensemble.Band(glucose, Step, _options.Coverage);
        var risk = Ensemble.ShareBelow(glucose, Step, _options.HypoThreshold, _options.HypoHorizon);
        var mean = _dynamics.FromScaled(filter.Mean);
        var p = _dynamics.Patient;
        var onBoard = Math.Max(0, mean[10] + mean[11] - p.Isc1ss - p.Isc2ss) * p.BW / 6000;
        return new GlucoseForecast(Time!.Value, _dynamics.Glucose(filter.Mean), band, risk, onBoard);
    }

    /// <summary>The estimate now, in the model's units, for a what-if to fork from.</summary>
    public PatientEstimate Snapshot()
    {
        var filter = _filter ?? throw new InvalidOperationException("The estimator has had no reading yet.");
        var mean = _dynamics.FromScaled(filter.Mean);
        var scaled = filter.Covariance;
        var n = UvaPadova.StateSize;
        var covariance = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                covariance[i * n + j] = scaled[i, j] * _dynamics.Scale[i] * _dynamics.Scale[j];
            }
        }
        return new PatientEstimate(Time!.Value, mean, covariance, _eating.Planned, _eating.Eating, _eating.InMeal, _eating.Meal.LastQsto, _eating.Meal.LastFoodTaken,
            _inputs.BasalAt((long)Math.Floor(filter.Time)));
    }

    internal static double Minutes(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerMinute;

    /// <summary>The model as the filter sees it: scaled states, the transition with the inputs known, the CGM reading glucose.</summary>
    internal static StateSpaceModel Model(PatientDynamics dynamics, GlucoseEstimatorOptions options, Func<EatingState> eating, InputSchedule inputs)
    {
        var n = UvaPadova.StateSize;
        var q = options.ProcessNoise * options.ProcessNoise;
        return new StateSpaceModel(n, 1,
            (t, dt, z, next) => dynamics.Advance(t, dt, z, next, eating(), inputs),
            (t, z, y) => y[0] = dynamics.Glucose(z))
        {
            ObservationNoise = new[,] { { options.SensorNoise * options.SensorNoise } },
            ProcessNoise = dt =>
            {
                var matrix = new double[n, n];
                for (var i = 0; i < n; i++)
                {
                    matrix[i, i] = q * dt;
                }
                return matrix;
            },
        };
    }

    /// <summary>
    /// Starts from the patient's steady state with its glucose moved to the reading (the insulin at its basal level, an
    /// empty stomach), uncertain by 10% on glucose, 20% on insulin.
    /// </summary>
    private void Restart(double minute, double cgm)
    {
        var p = _dynamics.Patient;
        var x = p.InitialState.ToArray();
        var ratio = cgm / UvaPadova.Glucose(p, x);
        x[3] *= ratio;
        x[4] *= ratio;
        x[12] *= ratio;
        var z = _dynamics.ToScaled(x);
        var n = UvaPadova.StateSize;
        var covariance = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            var sd = i switch { <= 2 => 0.05, 3 or 4 or 12 => 0.1, 6 => 0.5, _ => 0.2 };
            covariance[i, i] = sd * sd * Math.Max(z[i] * z[i], 1);
        }
        _eating = EatingState.Fasting(x, (long)Math.Floor(minute) - 1);
        _eatingAtStart = _eating;
        _filter = new UnscentedKalmanFilter(Model(_dynamics, _options, () => _eatingAtStart, _inputs), z, covariance, startTime: minute);
        _filter.Update([cgm]);
        Readings = 1;
        _inputs.Prune(minute - 1);
    }
}
