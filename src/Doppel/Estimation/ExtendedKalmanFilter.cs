using Doppel.Estimation.Internal;

namespace Doppel.Estimation;

/// <summary>
/// The extended Kalman filter: the Kalman filter on the model linearised at the mean (the model's Jacobians, or
/// central differences). A forecast or analysis that fails (the model throws or returns non-finite values) is
/// rejected with an <see cref="InvalidOperationException"/> and leaves the estimate unchanged.
/// </summary>
public sealed class ExtendedKalmanFilter : IStateEstimator
{
    private readonly StateSpaceModel _model;
    private readonly GaussianCore _core;
    private readonly double _inflation;
    private readonly double[] _next;
    private readonly double[] _jacobian;

    /// <summary>Starts from N(<paramref name="mean"/>, <paramref name="covariance"/>); <paramref name="inflation"/> (≥ 1) scales each forecast covariance.</summary>
    public ExtendedKalmanFilter(StateSpaceModel model, double[] mean, double[,] covariance, double inflation = 1, double startTime = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Validate();
        if (!(inflation >= 1) || double.IsInfinity(inflation))
        {
            throw new ArgumentException($"The inflation must be a finite factor ≥ 1, not {inflation}.", nameof(inflation));
        }
        _model = model;
        _inflation = inflation;
        _core = new GaussianCore(model.StateSize, mean, covariance, startTime, nameof(mean), nameof(covariance));
        _next = new double[model.StateSize];
        _jacobian = new double[model.StateSize * model.StateSize];
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
        var n = StateSize;
        var t = Time;
        var x = _core.Mean.AsArray() ?? _core.Mean.ToArray();
        _model.Transition(t, dt, x, _next);
        Matrices.CheckFinite(_next, "The model transition");
        if (_model.TransitionJacobian is { } exact)
        {
            exact(t, dt, x, _jacobian);
        }
        else
        {
            var transition = _model.Transition;
            FiniteDifference.Jacobian((probe, output) => transition(t, dt, probe, output), x, n, _jacobian);
        }
        Matrices.CheckFinite(_jacobian, "The transition Jacobian");
        var f = Matrices.M.Dense(n, n, (i, j) => _jacobian[(i * n) + j]);
        var covariance = f * _core.Covariance.TransposeAndMultiply(f);
        if (_inflation != 1)
        {
            covariance *= _inflation;
        }
        if (_model.ProcessNoise?.Invoke(dt) is { } q)
        {
            Matrices.CheckCovariance(q, n, "The process noise Q(dt)", nameof(dt), semiDefinite: true);
            covariance += Matrices.M.DenseOfArray(q);
        }
        Matrices.Symmetrize(covariance);
        _core.Mean = Matrices.V.DenseOfArray(_next);
        _core.Covariance = covariance;
        _core.Time = t + dt;
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
        var t = Time;
        var x = _core.Mean.ToArray();
        var predicted = new double[m];
        _model.Observe(t, x, predicted);
        Matrices.CheckFinite(predicted, "The observation function");
        var jacobian = new double[m * n];
        if (_model.ObservationJacobian is { } exact)
        {
            exact(t, x, jacobian);
        }
        else
        {
            var observe = _model.Observe;
            FiniteDifference.Jacobian((probe, output) => observe(t, probe, output), x, m, jacobian);
        }
        Matrices.CheckFinite(jacobian, "The observation Jacobian");
        var h = Matrices.M.Dense(present.Length, n, (i, j) => jacobian[(present[i] * n) + j]);
        var innovation = Matrices.Gather(observation, present) - Matrices.Gather(predicted, present);
        var crossCovariance = _core.Covariance.TransposeAndMultiply(h);
        var innovationCovariance = (h * crossCovariance) + Matrices.Sub(_model.ObservationNoise, present);
        _core.Correct(innovation, crossCovariance, innovationCovariance);
    }

    /// <inheritdoc/>
    public IReadOnlyList<double[]> Sample(int count, ulong seed) => _core.Sample(count, seed);
}
