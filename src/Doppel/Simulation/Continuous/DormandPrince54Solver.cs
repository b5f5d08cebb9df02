using Doppel.Simulation.Continuous.Internal;
using static Doppel.Simulation.Continuous.Internal.Dopri5Tableau;

namespace Doppel.Simulation.Continuous;

/// <summary>
/// The explicit Dormand–Prince 5(4) method with adaptive steps: first same as last (six evaluations per step), the
/// PI step-size controller and the fourth-order dense output of Hairer's DOPRI5. For non-stiff problems.
/// </summary>
public sealed class DormandPrince54Solver : OdeSolver
{
    // Step-size control of DOPRI5: safety factor, bounds on the change, and the PI (Gustafsson) exponents.
    private const double Safety = 0.9, MinFactor = 0.2, MaxFactor = 10, Beta = 0.04, Alpha = 0.2 - (Beta * 0.75);

    private readonly double[] _k1, _k2, _k3, _k4, _k5, _k6, _k7, _yStage, _yNew;
    private readonly double[] _r1, _r2, _r3, _r4, _r5;
    private double _h;
    private double _errorOld = 1e-4;
    private bool _lastRejected;
    private bool _needsDerivative = true;
    private double _denseStart, _denseStep;

    /// <summary>Creates the solver at the problem's initial state.</summary>
    public DormandPrince54Solver(OdeProblem problem, OdeOptions? options = null)
        : base(problem, options)
    {
        var n = Dimension;
        _k1 = new double[n]; _k2 = new double[n]; _k3 = new double[n]; _k4 = new double[n];
        _k5 = new double[n]; _k6 = new double[n]; _k7 = new double[n]; _yStage = new double[n]; _yNew = new double[n];
        _r1 = new double[n]; _r2 = new double[n]; _r3 = new double[n]; _r4 = new double[n]; _r5 = new double[n];
        _h = Options.InitialStep;
    }

    private protected override void Restart(bool keepStepSize)
    {
        _needsDerivative = true;
        _lastRejected = false;
        if (!keepStepSize)
        {
            _h = Options.InitialStep;
            _errorOld = 1e-4;
        }
    }

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
        if (_h == 0)
        {
            Counters.Functions++;
            _h = InitialStep.Estimate(Function, t, y, _k1, 5, Options, tEnd - t, _yStage, _k2);
        }
        var h = Math.Min(_h, Options.MaxStep);
        // Stretch the last step to land on tEnd rather than leave a sliver.
        var last = t + (1.01 * h) >= tEnd;
        if (last)
        {
            h = tEnd - t;
        }
        if (0.1 * h <= Math.Abs(t) * 2.220446049250313e-16)
        {
            return StepAttempt.StepSizeTooSmall;
        }

        for (var i = 0; i < n; i++) { _yStage[i] = y[i] + (h * A21 * _k1[i]); }
        Evaluate(t + (C2 * h), _yStage, _k2);
        for (var i = 0; i < n; i++) { _yStage[i] = y[i] + (h * ((A31 * _k1[i]) + (A32 * _k2[i]))); }
        Evaluate(t + (C3 * h), _yStage, _k3);
        for (var i = 0; i < n; i++) { _yStage[i] = y[i] + (h * ((A41 * _k1[i]) + (A42 * _k2[i]) + (A43 * _k3[i]))); }
        Evaluate(t + (C4 * h), _yStage, _k4);
        for (var i = 0; i < n; i++)
        {
            _yStage[i] = y[i] + (h * ((A51 * _k1[i]) + (A52 * _k2[i]) + (A53 * _k3[i]) + (A54 * _k4[i])));
        }
        Evaluate(t + (C5 * h), _yStage, _k5);
        for (var i = 0; i < n; i++)
        {
            _yStage[i] = y[i] + (h * ((A61 * _k1[i]) + (A62 * _k2[i]) + (A63 * _k3[i]) + (A64 * _k4[i]) + (A65 * _k5[i])));
        }
        var tNew = last ? tEnd : t + h;
        Evaluate(tNew, _yStage, _k6);
        for (var i = 0; i < n; i++)
        {
            _yNew[i] = y[i] + (h * ((A71 * _k1[i]) + (A73 * _k3[i]) + (A74 * _k4[i]) + (A75 * _k5[i]) + (A76 * _k6[i])));
        }
        Evaluate(tNew, _yNew, _k7);

        // The error estimate goes into _yStage, which is free now.
        for (var i = 0; i < n; i++)
        {
            _yStage[i] = h * ((E1 * _k1[i]) + (E3 * _k3[i]) + (E4 * _k4[i]) + (E5 * _k5[i]) + (E6 * _k6[i]) + (E7 * _k7[i]));
        }
        var error = ErrorNorm.Rms(_yStage, y, _yNew, Options.RelativeTolerance, Options.AbsoluteTolerance);
        var growth = Math.Pow(error, Alpha);
        if (error > 1)
        {
            _h = h / Math.Min(1 / MinFactor, growth / Safety);
            _lastRejected = true;
            return StepAttempt.Rejected;
        }

        var factor = Math.Clamp(growth / Math.Pow(_errorOld, Beta) / Safety, 1 / MaxFactor, 1 / MinFactor);
        var hNew = h / factor;
        if (_lastRejected)
        {
            hNew = Math.Min(hNew, h);
        }
        _errorOld = Math.Max(error, 1e-4);
        _lastRejected = false;

        for (var i = 0; i < n; i++)
        {
            var difference = _yNew[i] - y[i];
            var spline = (h * _k1[i]) - difference;
            _r1[i] = y[i];
            _r2[i] = difference;
            _r3[i] = spline;
            _r4[i] = difference - (h * _k7[i]) - spline;
            _r5[i] = h * ((D1 * _k1[i]) + (D3 * _k3[i]) + (D4 * _k4[i]) + (D5 * _k5[i]) + (D6 * _k6[i]) + (D7 * _k7[i]));
        }
        _denseStart = t;
        _denseStep = h;
        _yNew.CopyTo(y, 0);
        _k7.CopyTo(_k1, 0);
        CurrentTime = tNew;
        // A short final step says nothing about the next one; keep the controller's proposal.
        _h = last ? Math.Max(_h, hNew) : hNew;
        return StepAttempt.Accepted;
    }

    private protected override void DenseOutput(double t, Span<double> y)
    {
        var theta = (t - _denseStart) / _denseStep;
        var theta1 = 1 - theta;
        for (var i = 0; i < y.Length; i++)
        {
            y[i] = _r1[i] + (theta * (_r2[i] + (theta1 * (_r3[i] + (theta * (_r4[i] + (theta1 * _r5[i])))))));
        }
    }
}
