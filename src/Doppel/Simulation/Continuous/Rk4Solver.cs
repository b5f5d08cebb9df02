using Doppel.Simulation.Continuous.Internal;

namespace Doppel.Simulation.Continuous;

/// <summary>
/// The classical fourth-order Runge–Kutta method with a fixed step (shortened only to land on the end time), and
/// cubic Hermite dense output from the end-point derivatives, which the next step reuses as its first stage.
/// </summary>
public sealed class Rk4Solver : OdeSolver
{
    private readonly double _step;
    private readonly double[] _k1, _k2, _k3, _k4, _yStage;
    private readonly double[] _y0, _f0, _y1, _f1;
    private bool _needsDerivative = true;
    private double _denseStart, _denseStep;

    /// <summary>Creates the solver with a fixed step size.</summary>
    public Rk4Solver(OdeProblem problem, double step, OdeOptions? options = null)
        : base(problem, options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);
        _step = step;
        var n = Dimension;
        _k1 = new double[n]; _k2 = new double[n]; _k3 = new double[n]; _k4 = new double[n]; _yStage = new double[n];
        _y0 = new double[n]; _f0 = new double[n]; _y1 = new double[n]; _f1 = new double[n];
    }

    /// <summary>The fixed step size.</summary>
    public double Step => _step;

    private protected override void Restart(bool keepStepSize) => _needsDerivative = true;

    private protected override StepAttempt TryStep(double tEnd)
    {
        var n = Dimension;
        var t = CurrentTime;
        var y = Y;
        if (_needsDerivative)
        {
            Evaluate(t, y, _k1);
            _needsDerivative = false;
        }
        // Stretch the last step by rounding noise at most, so that it lands on tEnd.
        var last = t + (_step * (1 + 1e-9)) >= tEnd;
        var h = last ? tEnd - t : _step;
        var tNew = last ? tEnd : t + h;
        if (0.1 * h <= Math.Abs(t) * 2.220446049250313e-16)
        {
            return StepAttempt.StepSizeTooSmall;
        }
        var half = 0.5 * h;
        for (var i = 0; i < n; i++) { _yStage[i] = y[i] + (half * _k1[i]); }
        Evaluate(t + half, _yStage, _k2);
        for (var i = 0; i < n; i++) { _yStage[i] = y[i] + (half * _k2[i]); }
        Evaluate(t + half, _yStage, _k3);
        for (var i = 0; i < n; i++) { _yStage[i] = y[i] + (h * _k3[i]); }
        Evaluate(tNew, _yStage, _k4);
        y.CopyTo(_y0, 0);
        _k1.CopyTo(_f0, 0);
        for (var i = 0; i < n; i++)
        {
            y[i] += h / 6 * (_k1[i] + (2 * (_k2[i] + _k3[i])) + _k4[i]);
        }
        Evaluate(tNew, y, _k1);
        // The interpolant keeps its own end point: a terminal event may move Y back inside the step.
        y.CopyTo(_y1, 0);
        _k1.CopyTo(_f1, 0);
        _denseStart = t;
        _denseStep = h;
        CurrentTime = tNew;
        return StepAttempt.Accepted;
    }

    private protected override void DenseOutput(double t, Span<double> y)
    {
        // Cubic Hermite interpolation between (y0, f0) and (y1, f1) (Hairer, Nørsett & Wanner, Solving ODEs I, II.6).
        var h = _denseStep;
        var s = (t - _denseStart) / h;
        var s1 = s - 1;
        for (var i = 0; i < y.Length; i++)
        {
            var difference = _y1[i] - _y0[i];
            y[i] = ((1 - s) * _y0[i]) + (s * _y1[i])
                + (s * s1 * (((1 - (2 * s)) * difference) + (s1 * h * _f0[i]) + (s * h * _f1[i])));
        }
    }
}
