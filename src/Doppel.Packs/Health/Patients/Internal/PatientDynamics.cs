using Doppel.Packs.Health.Glucose;

namespace Doppel.Packs.Health.Patients.Internal;

/// <summary>
/// The UVA/Padova model of one patient stepped over any interval with its insulin and meals, minute by minute (inputs
/// constant within a minute, as the virtual patient's), by classical Runge–Kutta. It works on scaled states
/// (z = x / scale) so that a filter sees components of like size: the stomach holds tens of thousands of mg while
/// insulin action is a few units.
/// </summary>
internal sealed class PatientDynamics
{
    private const double Epsilon = 1e-9;
    private readonly PatientParameters _p;
    private readonly double[] _scale;

    public PatientDynamics(PatientParameters patient)
    {
        _p = patient;
        _scale = new double[UvaPadova.StateSize];
        for (var i = 0; i < _scale.Length; i++)
        {
            // The steady state sets each component's scale; those at 0 in a fasting steady state get a typical size.
            var floor = i <= 2 ? 10_000 : 10;
            _scale[i] = Math.Max(Math.Abs(patient.InitialState[i]), floor);
        }
    }

    public PatientParameters Patient => _p;

    public IReadOnlyList<double> Scale => _scale;

    public double[] ToScaled(ReadOnlySpan<double> x)
    {
        var z = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            z[i] = x[i] / _scale[i];
        }
        return z;
    }

    public double[] FromScaled(ReadOnlySpan<double> z)
    {
        var x = new double[z.Length];
        for (var i = 0; i < z.Length; i++)
        {
            x[i] = z[i] * _scale[i];
        }
        return x;
    }

    /// <summary>Glucose a CGM sees (mg/dL) for a scaled state.</summary>
    public double Glucose(ReadOnlySpan<double> z) => z[12] * _scale[12] / _p.Vg;

    /// <summary>
    /// Advances the scaled state <paramref name="z"/> from minute <paramref name="t"/> by <paramref name="dt"/> minutes
    /// into <paramref name="next"/>, eating and dosing as <paramref name="inputs"/> says; returns the eating state after.
    /// </summary>
    public EatingState Advance(double t, double dt, ReadOnlySpan<double> z, Span<double> next, EatingState eating, InputSchedule inputs)
    {
        Span<double> x = stackalloc double[UvaPadova.StateSize];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = z[i] * _scale[i];
        }
        var time = t;
        var end = t + dt;
        while (end - time > Epsilon)
        {
            var minute = (long)Math.Floor(time + Epsilon);
            if (minute != eating.Minute)
            {
                eating = eating.Begin(minute, inputs.CarbsAnnounced(minute), x);
            }
            var stepEnd = Math.Min(minute + 1, end);
            Step(x, time, stepEnd - time, eating.Meal, eating.Eating, inputs.InsulinRate(minute));
            time = stepEnd;
        }
        for (var i = 0; i < x.Length; i++)
        {
            next[i] = x[i] / _scale[i];
        }
        return eating;
    }

    private void Step(Span<double> x, double t, double h, in MealState meal, double carbs, double insulin)
    {
        const int n = UvaPadova.StateSize;
        Span<double> k1 = stackalloc double[n];
        Span<double> k2 = stackalloc double[n];
        Span<double> k3 = stackalloc double[n];
        Span<double> k4 = stackalloc double[n];
        Span<double> y = stackalloc double[n];
        UvaPadova.Derivatives(_p, meal, t, x, carbs, insulin, k1);
        for (var i = 0; i < n; i++)
        {
            y[i] = x[i] + h / 2 * k1[i];
        }
        UvaPadova.Derivatives(_p, meal, t + h / 2, y, carbs, insulin, k2);
        for (var i = 0; i < n; i++)
        {
            y[i] = x[i] + h / 2 * k2[i];
        }
        UvaPadova.Derivatives(_p, meal, t + h / 2, y, carbs, insulin, k3);
        for (var i = 0; i < n; i++)
        {
            y[i] = x[i] + h * k3[i];
        }
        UvaPadova.Derivatives(_p, meal, t + h, y, carbs, insulin, k4);
        for (var i = 0; i < n; i++)
        {
            x[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
    }
}
