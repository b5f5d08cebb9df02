using Doppel.Packs.Health.Glucose.Internal;

namespace Doppel.Packs.Health.Glucose;

/// <summary>
/// A virtual patient stepped minute by minute, as simglucose's <c>T1DPatient</c>: a meal announced at a minute is eaten
/// at most 5 g a minute, the gastric emptying remembers the meal in progress (<see cref="Meal"/>), and each minute is one
/// call of the same DOPRI5 as scipy's (its step size carried from one minute to the next).
/// </summary>
public sealed class VirtualPatient
{
    /// <summary>The most a patient eats in a minute (g), simglucose's <c>EAT_RATE</c>.</summary>
    public const double EatRate = 5;

    private readonly double[] _state;
    private readonly Dopri5 _solver;
    private MealState _meal;
    private double _plannedMeal;
    private double _lastCarbs;
    private bool _isEating;

    /// <summary>A patient at time 0 in <paramref name="initialState"/> (default: the parameters' steady state).</summary>
    public VirtualPatient(PatientParameters parameters, IReadOnlyList<double>? initialState = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var start = initialState ?? parameters.InitialState;
        if (start.Count != UvaPadova.StateSize)
        {
            throw new ArgumentException($"The UVA/Padova state has {UvaPadova.StateSize} values, not {start.Count}.", nameof(initialState));
        }
        Parameters = parameters;
        _state = start.ToArray();
        _solver = new Dopri5(UvaPadova.StateSize);
        _meal = new MealState(_state[0] + _state[1], 0);
    }

    private VirtualPatient(VirtualPatient other)
    {
        Parameters = other.Parameters;
        _state = (double[])other._state.Clone();
        _solver = new Dopri5(UvaPadova.StateSize) { StepSize = other._solver.StepSize };
        _meal = other._meal;
        _plannedMeal = other._plannedMeal;
        _lastCarbs = other._lastCarbs;
        _isEating = other._isEating;
        Time = other.Time;
    }

    /// <summary>The patient's parameters.</summary>
    public PatientParameters Parameters { get; }

    /// <summary>Minutes since the start.</summary>
    public double Time { get; private set; }

    /// <summary>The 13 states (see <see cref="UvaPadova"/>).</summary>
    public ReadOnlySpan<double> State => _state;

    /// <summary>Subcutaneous glucose (mg/dL), what simglucose records as BG.</summary>
    public double Glucose => _state[12] / Parameters.Vg;

    /// <summary>The meal being digested.</summary>
    public MealState Meal => _meal;

    /// <summary>Announced carbohydrate not eaten yet (g).</summary>
    public double PlannedMeal => _plannedMeal;

    /// <summary>Whether the patient is eating.</summary>
    public bool IsEating => _isEating;

    /// <summary>
    /// One minute: announces <paramref name="carbs"/> g of carbohydrate (eaten at most <see cref="EatRate"/> g a minute,
    /// the rest later) and infuses <paramref name="insulin"/> U/min.
    /// </summary>
    public void Step(double carbs, double insulin)
    {
        if (!(carbs >= 0) || double.IsInfinity(carbs))
        {
            throw new ArgumentOutOfRangeException(nameof(carbs), carbs, "Carbohydrate is a finite amount of grams, 0 or more.");
        }
        if (!double.IsFinite(insulin))
        {
            throw new ArgumentOutOfRangeException(nameof(insulin), insulin, "Insulin is a finite rate in U/min.");
        }

        // simglucose's _announce_meal: what is eaten this minute.
        _plannedMeal += carbs;
        double toEat = 0;
        if (_plannedMeal > 0)
        {
            toEat = Math.Min(EatRate, _plannedMeal);
            _plannedMeal = Math.Max(0, _plannedMeal - toEat);
        }

        if (toEat > 0 && _lastCarbs <= 0)
        {
            _meal = new MealState(_state[0] + _state[1], 0);
            _isEating = true;
        }
        if (_isEating)
        {
            _meal = _meal with { LastFoodTaken = _meal.LastFoodTaken + toEat };
        }
        if (toEat <= 0 && _lastCarbs > 0)
        {
            _isEating = false;
        }
        _lastCarbs = toEat;

        var rhs = new Rhs(Parameters, _meal, toEat, insulin);
        var outcome = _solver.Integrate(ref rhs, Time, _state, Time + 1);
        if (outcome < 0)
        {
            throw new InvalidOperationException($"The ODE solver failed for {Parameters.Name} at minute {Time} (DOPRI5 code {outcome}).");
        }
        Time += 1;
    }

    /// <summary>An independent copy in the same state (solver step size included), for what-ifs.</summary>
    public VirtualPatient Clone() => new(this);

    private readonly struct Rhs(PatientParameters p, MealState meal, double carbs, double insulin) : IOdeRhs
    {
        public void Evaluate(double x, ReadOnlySpan<double> y, Span<double> dy) => UvaPadova.Derivatives(p, meal, x, y, carbs, insulin, dy);
    }
}
