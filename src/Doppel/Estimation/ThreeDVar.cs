using Doppel.Estimation.Internal;
using MathNet.Numerics.LinearAlgebra;

namespace Doppel.Estimation;

/// <summary>
/// 3D-Var: the model carries the mean, a fixed background covariance B stands for its uncertainty, and each analysis
/// minimises ‖x − x_b‖²_B⁻¹ + ‖y − h(x)‖²_R⁻¹ by Gauss–Newton from the forecast (one iteration, the closed form, for a
/// linear h, as DAPPER's Var3D). <see cref="Covariance"/> is B after a forecast and (I − KH) B after an analysis.
/// </summary>
public sealed class ThreeDVar : IStateEstimator
{
    private readonly StateSpaceModel _model;
    private readonly GaussianCore _core;
    private readonly Matrix<double> _background;
    private readonly int _iterations;
    private readonly double[] _next;

    /// <summary>Starts at <paramref name="mean"/> with background covariance <paramref name="background"/>; <paramref name="iterations"/> Gauss–Newton steps per analysis.</summary>
    public ThreeDVar(StateSpaceModel model, double[] mean, double[,] background, int iterations = 1, double startTime = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        _model = model;
        _core = new GaussianCore(model.StateSize, mean, background, startTime, nameof(mean), nameof(background));
        _background = _core.Covariance.Clone();
        _iterations = iterations;
        _next = new double[model.StateSize];
    }

    /// <inheritdoc/>
    public int StateSize => _core.Size;

    /// <inheritdoc/>
    public double Time => _core.Time;

    /// <inheritdoc/>
    public double[] Mean => _core.Mean.ToArray();

    /// <inheritdoc/>
    public double[,] Covariance => _core.Covariance.ToArray();

    /// <inheritdoc/>
    public void Predict(double dt)
    {
        GaussianCore.CheckDt(dt);
        _model.Transition(Time, dt, _core.Mean.AsArray(), _next);
        Matrices.CheckFinite(_next, "The model transition");
        _core.Mean = Matrices.V.DenseOfArray(_next);
        _core.Covariance = _background.Clone();
        _core.Time += dt;
    }

    /// <inheritdoc/>
    public void Update(ReadOnlySpan<double> observation)
    {
        var present = Matrices.Present(observation, _model.ObservationSize, nameof(observation));
        if (present.Length == 0)
        {
            return;
        }
        var n = StateSize;
        var m = _model.ObservationSize;
        var background = _core.Mean;
        var y = Matrices.Gather(observation, present);
        var r = Matrices.Sub(_model.ObservationNoise, present);
        var predicted = new double[m];
        var jacobian = new double[m * n];
        var x = background;
        Matrix<double>? gainT = null;
        Matrix<double>? h = null;
        for (var iteration = 0; iteration < _iterations; iteration++)
        {
            var point = x.ToArray();
            _model.Observe(Time, point, predicted);
            Matrices.CheckFinite(predicted, "The observation function");
            if (_model.ObservationJacobian is { } exact)
            {
                exact(Time, point, jacobian);
            }
            else
            {
                var observe = _model.Observe;
                var t = Time;
                FiniteDifference.Jacobian((probe, output) => observe(t, probe, output), point, m, jacobian);
            }
            h = Matrices.M.Dense(present.Length, n, (i, j) => jacobian[(present[i] * n) + j]);
            // Incremental form: x = x_b + K (y − h(x_i) − H (x_b − x_i)), K = B Hᵀ (H B Hᵀ + R)⁻¹.
            var crossCovariance = _background.TransposeAndMultiply(h);
            gainT = ((h * crossCovariance) + r).Cholesky().Solve(crossCovariance.Transpose());
            var innovation = y - Matrices.Gather(predicted, present) - (h * (background - x));
            x = background + gainT.TransposeThisAndMultiply(innovation);
            if (!x.ForAll(double.IsFinite))
            {
                throw new InvalidOperationException("The analysis produced non-finite values; the estimate is unchanged.");
            }
        }
        var covariance = _background - (gainT!.TransposeThisAndMultiply(h!) * _background);
        Matrices.Symmetrize(covariance);
        _core.Mean = x;
        _core.Covariance = covariance;
    }

    /// <inheritdoc/>
    public IReadOnlyList<double[]> Sample(int count, ulong seed) => _core.Sample(count, seed);
}
