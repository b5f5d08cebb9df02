using Doppel.Packs.Health.Glucose;

namespace Doppel.Packs.Health.Trials.Internal;

/// <summary>
/// The patient's UVA/Padova model stepped a minute at a time with classical Runge–Kutta: the controller's predictions
/// and the filter's transition. The fastest rates of simglucose's patients are about 1.2 per minute, inside RK4's
/// stability at a one-minute step; its error against simglucose's DOPRI5 is far below the sensor's noise.
/// </summary>
internal sealed class TwinModel(PatientParameters patient)
{
    private readonly double[] _k1 = new double[UvaPadova.StateSize];
    private readonly double[] _k2 = new double[UvaPadova.StateSize];
    private readonly double[] _k3 = new double[UvaPadova.StateSize];
    private readonly double[] _k4 = new double[UvaPadova.StateSize];
    private readonly double[] _stage = new double[UvaPadova.StateSize];

    public PatientParameters Patient { get; } = patient;

    /// <summary>One minute from <paramref name="x"/> in place, eating <paramref name="eaten"/> g/min with <paramref name="insulin"/> U/min.</summary>
    public void Step(Span<double> x, in MealState meal, double eaten, double insulin)
    {
        var p = Patient;
        UvaPadova.Derivatives(p, meal, 0, x, eaten, insulin, _k1);
        for (var i = 0; i < x.Length; i++)
        {
            _stage[i] = x[i] + (0.5 * _k1[i]);
        }
        UvaPadova.Derivatives(p, meal, 0, _stage, eaten, insulin, _k2);
        for (var i = 0; i < x.Length; i++)
        {
            _stage[i] = x[i] + (0.5 * _k2[i]);
        }
        UvaPadova.Derivatives(p, meal, 0, _stage, eaten, insulin, _k3);
        for (var i = 0; i < x.Length; i++)
        {
            _stage[i] = x[i] + _k3[i];
        }
        UvaPadova.Derivatives(p, meal, 0, _stage, eaten, insulin, _k4);
        for (var i = 0; i < x.Length; i++)
        {
            x[i] += (_k1[i] + (2 * (_k2[i] + _k3[i])) + _k4[i]) / 6;
        }
    }

    /// <summary>Subcutaneous glucose (mg/dL), what the CGM reads.</summary>
    public double Glucose(ReadOnlySpan<double> x) => x[12] / Patient.Vg;

    /// <summary>Subcutaneous insulin above the basal steady state (U).</summary>
    public double InsulinOnBoard(ReadOnlySpan<double> x) => (x[10] + x[11] - Patient.Isc1ss - Patient.Isc2ss) * Patient.BW / 6000;
}
