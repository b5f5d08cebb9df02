using Doppel.Simulation.Continuous.Internal;
using static Doppel.Simulation.Continuous.Internal.Rodas4Tableau;

namespace Doppel.Simulation.Continuous;

/// <summary>
/// The Rosenbrock method RODAS4 of Hairer and Wanner for stiff problems: L-stable and stiffly accurate, order 4 with
/// an embedded order-3 error estimate and order-3 dense output. Linearly implicit: one Jacobian and one LU
/// decomposition per step and no Newton iteration, so there is no convergence failure to manage. The Jacobian is
/// the problem's, or forward differences when it has none; ∂f/∂t is always a forward difference.
/// </summary>
public sealed class Rodas4Solver : OdeSolver
{
    // Step-size control of rodas.f: safety factor, bounds on the change, and Gustafsson's predictive controller.
    private const double Safety = 0.9, MinFactor = 0.2, MaxFactor = 6;
    private const double Epsilon = 2.220446049250313e-16;

    private readonly OdeJacobian? _jacobian;
    private readonly double[] _dfdy, _matrix, _dfdt, _f0, _fStage, _yStage, _rhs, _scratch;
    private readonly double[] _k1, _k2, _k3, _k4, _k5, _k6;
    private readonly double[] _y0, _y1, _cont2, _cont3;
    private readonly int[] _pivots;
    private double _h;
    private double _hAccepted, _errorAccepted;
    private bool _lastRejected, _firstStep = true;
    private bool _needsDerivative = true, _needsJacobian = true;
    private double _denseStart, _denseStep;

    /// <summary>Creates the solver at the problem's initial state.</summary>
    public Rodas4Solver(OdeProblem problem, OdeOptions? options = null)
        : base(problem, options)
    {
        var n = Dimension;
        _jacobian = problem.Jacobian;
        _dfdy = new double[n * n]; _matrix = new double[n * n]; _pivots = new int[n];
        _dfdt = new double[n]; _f0 = new double[n]; _fStage = new double[n]; _yStage = new double[n];
        _rhs = new double[n]; _scratch = new double[n];
        _k1 = new double[n]; _k2 = new double[n]; _k3 = new double[n]; _k4 = new double[n]; _k5 = new double[n]; _k6 = new double[n];
        _y0 = new double[n]; _y1 = new double[n]; _cont2 = new double[n]; _cont3 = new double[n];
        _h = Options.InitialStep;
    }

    private protected override void Restart(bool keepStepSize)
    {
        _needsDerivative = true;
        _needsJacobian = true;
        _lastRejected = false;
        if (!keepStepSize)
        {
            _h = Options.InitialStep;
            _firstStep = true;
        }
    }

    private protected override StepAttempt TryStep(double tEnd)
    {
        var n = Dimension;
        var t = CurrentTime;
        var y = Y;
        if (_needsDerivative)
        {
            Evaluate(t, y, _f0);
            _needsDerivative = false;
        }
        if (_h == 0)
        {
            Counters.Functions++;
            _h = InitialStep.Estimate(Function, t, y, _f0, 4, Options, tEnd - t, _yStage, _fStage);
        }
        if (_needsJacobian)
        {
            // The Jacobian belongs to the step's start, so a rejected step reuses it with a smaller h.
            ComputeJacobian(t, y);
            _needsJacobian = false;
        }
        var h = Math.Min(_h, Options.MaxStep);
        var last = t + (1.01 * h) >= tEnd;
        if (last)
        {
            h = tEnd - t;
        }
        if (0.1 * h <= Math.Abs(t) * Epsilon)
        {
            return StepAttempt.StepSizeTooSmall;
        }

        // E = I/(hγ) − J, factored once for all six stages.
        var diagonal = 1 / (h * Gamma);
        for (var i = 0; i < _matrix.Length; i++)
        {
            _matrix[i] = -_dfdy[i];
        }
        for (var i = 0; i < n; i++)
        {
            _matrix[(i * n) + i] += diagonal;
        }
        Counters.Decompositions++;
        if (!DenseLu.Factor(_matrix, n, _pivots))
        {
            return Reject(h, 0.5);
        }

        var tNew = last ? tEnd : t + h;
        double hc1, hc2, hc3, hc4, hc5;
        for (var i = 0; i < n; i++) { _k1[i] = _f0[i] + (h * D1 * _dfdt[i]); }
        Solve(_k1);

        for (var i = 0; i < n; i++) { _yStage[i] = y[i] + (A21 * _k1[i]); }
        Evaluate(t + (C2 * h), _yStage, _fStage);
        hc1 = C21 / h;
        for (var i = 0; i < n; i++) { _k2[i] = _fStage[i] + (hc1 * _k1[i]) + (h * D2 * _dfdt[i]); }
        Solve(_k2);

        for (var i = 0; i < n; i++) { _yStage[i] = y[i] + (A31 * _k1[i]) + (A32 * _k2[i]); }
        Evaluate(t + (C3 * h), _yStage, _fStage);
        (hc1, hc2) = (C31 / h, C32 / h);
        for (var i = 0; i < n; i++) { _k3[i] = _fStage[i] + (hc1 * _k1[i]) + (hc2 * _k2[i]) + (h * D3 * _dfdt[i]); }
        Solve(_k3);

        for (var i = 0; i < n; i++) { _yStage[i] = y[i] + (A41 * _k1[i]) + (A42 * _k2[i]) + (A43 * _k3[i]); }
        Evaluate(t + (C4 * h), _yStage, _fStage);
        (hc1, hc2, hc3) = (C41 / h, C42 / h, C43 / h);
        for (var i = 0; i < n; i++)
        {
            _k4[i] = _fStage[i] + (hc1 * _k1[i]) + (hc2 * _k2[i]) + (hc3 * _k3[i]) + (h * D4 * _dfdt[i]);
        }
        Solve(_k4);

        for (var i = 0; i < n; i++)
        {
            _yStage[i] = y[i] + (A51 * _k1[i]) + (A52 * _k2[i]) + (A53 * _k3[i]) + (A54 * _k4[i]);
        }
        Evaluate(tNew, _yStage, _fStage);
        (hc1, hc2, hc3, hc4) = (C51 / h, C52 / h, C53 / h, C54 / h);
        for (var i = 0; i < n; i++)
        {
            _k5[i] = _fStage[i] + (hc1 * _k1[i]) + (hc2 * _k2[i]) + (hc3 * _k3[i]) + (hc4 * _k4[i]);
        }
        Solve(_k5);

        // Stiffly accurate: the embedded (order 3) solution is the last stage's argument, the new one adds k6.
        for (var i = 0; i < n; i++) { _yStage[i] += _k5[i]; }
        Evaluate(tNew, _yStage, _fStage);
        (hc1, hc2, hc3, hc4, hc5) = (C61 / h, C62 / h, C63 / h, C64 / h, C65 / h);
        for (var i = 0; i < n; i++)
        {
            _k6[i] = _fStage[i] + (hc1 * _k1[i]) + (hc2 * _k2[i]) + (hc3 * _k3[i]) + (hc4 * _k4[i]) + (hc5 * _k5[i]);
        }
        Solve(_k6);
        for (var i = 0; i < n; i++) { _yStage[i] += _k6[i]; }

        var error = ErrorNorm.Rms(_k6, y, _yStage, Options.RelativeTolerance, Options.AbsoluteTolerance);
        var factor = Math.Clamp(Math.Pow(error, 0.25) / Safety, 1 / MaxFactor, 1 / MinFactor);
        if (error > 1)
        {
            return Reject(h, _firstStep ? 0.1 : 1 / factor);
        }

        if (!_firstStep)
        {
            // Gustafsson's predictive controller (as in rodas.f) damps step-size oscillations on stiff problems.
            var predictive = _hAccepted / h * Math.Pow(error * error / _errorAccepted, 0.25) / Safety;
            factor = Math.Max(factor, Math.Clamp(predictive, 1 / MaxFactor, 1 / MinFactor));
        }
        _hAccepted = h;
        _errorAccepted = Math.Max(1e-2, error);
        var hNew = h / factor;
        if (_lastRejected)
        {
            hNew = Math.Min(hNew, h);
        }
        _lastRejected = false;
        _firstStep = false;

        for (var i = 0; i < n; i++)
        {
            _y0[i] = y[i];
            _y1[i] = _yStage[i];
            _cont2[i] = (H21 * _k1[i]) + (H22 * _k2[i]) + (H23 * _k3[i]) + (H24 * _k4[i]) + (H25 * _k5[i]);
            _cont3[i] = (H31 * _k1[i]) + (H32 * _k2[i]) + (H33 * _k3[i]) + (H34 * _k4[i]) + (H35 * _k5[i]);
        }
        _denseStart = t;
        _denseStep = h;
        _yStage.CopyTo(y, 0);
        CurrentTime = tNew;
        _needsDerivative = true;
        _needsJacobian = true;
        _h = last ? Math.Max(_h, hNew) : hNew;
        return StepAttempt.Accepted;
    }

    private protected override void DenseOutput(double t, Span<double> y)
    {
        var s = (t - _denseStart) / _denseStep;
        var s1 = 1 - s;
        for (var i = 0; i < y.Length; i++)
        {
            y[i] = (s1 * _y0[i]) + (s * (_y1[i] + (s1 * (_cont2[i] + (s * _cont3[i])))));
        }
    }

    private StepAttempt Reject(double h, double shrink)
    {
        _h = h * shrink;
        _lastRejected = true;
        return StepAttempt.Rejected;
    }

    private void Solve(Span<double> b) => DenseLu.Solve(_matrix, Dimension, _pivots, b);

    private void ComputeJacobian(double t, double[] y)
    {
        var n = Dimension;
        Counters.Jacobians++;
        if (_jacobian is not null)
        {
            _jacobian(t, y, _dfdy);
        }
        else
        {
            // Forward differences with increments sqrt(ε·max(1e-5, |y_j|)), as in Hairer's codes.
            y.CopyTo(_scratch, 0);
            for (var j = 0; j < n; j++)
            {
                var saved = _scratch[j];
                var delta = Math.Sqrt(Epsilon * Math.Max(1e-5, Math.Abs(saved)));
                _scratch[j] = saved + delta;
                Evaluate(t, _scratch, _rhs);
                _scratch[j] = saved;
                for (var i = 0; i < n; i++)
                {
                    _dfdy[(i * n) + j] = (_rhs[i] - _f0[i]) / delta;
                }
            }
        }
        // ∂f/∂t by one forward difference; exactly zero for an autonomous f.
        var dt = Math.Sqrt(Epsilon * Math.Max(1e-5, Math.Abs(t)));
        Evaluate(t + dt, y, _rhs);
        for (var i = 0; i < n; i++)
        {
            _dfdt[i] = (_rhs[i] - _f0[i]) / dt;
        }
    }
}
