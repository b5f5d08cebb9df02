using Doppel.Estimation.Internal;
using MathNet.Numerics.LinearAlgebra;

namespace Doppel.Estimation;

/// <summary>
/// The unscented Kalman filter: 2n + 1 sigma points carry the mean and covariance through the nonlinear model and
/// observation, no Jacobians. A forecast whose sigma point fails (the model throws or returns non-finite values) is
/// rejected with an <see cref="InvalidOperationException"/> and leaves the estimate unchanged.
/// </summary>
public sealed class UnscentedKalmanFilter : IStateEstimator
{
    private readonly StateSpaceModel _model;
    private readonly GaussianCore _core;
    private readonly double _spread;
    private readonly double[] _meanWeights;
    private readonly double[] _covarianceWeights;
    private readonly double[] _sigma;
    private readonly double[] _propagated;
    private readonly double[] _observed;

    /// <summary>Starts from N(<paramref name="mean"/>, <paramref name="covariance"/>) at <paramref name="startTime"/>.</summary>
    public UnscentedKalmanFilter(StateSpaceModel model, double[] mean, double[,] covariance, UnscentedOptions? options = null, double startTime = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Validate();
        options ??= new UnscentedOptions();
        var n = model.StateSize;
        var lambda = (options.Alpha * options.Alpha * (n + options.Kappa)) - n;
        if (!(options.Alpha > 0) || !(n + lambda > 0) || !double.IsFinite(options.Beta))
        {
            throw new ArgumentException($"The unscented options need α > 0 and n + λ > 0 (α = {options.Alpha}, κ = {options.Kappa}, n = {n}).", nameof(options));
        }
        _model = model;
        _core = new GaussianCore(n, mean, covariance, startTime, nameof(mean), nameof(covariance));
        _spread = Math.Sqrt(n + lambda);
        var points = (2 * n) + 1;
        _meanWeights = new double[points];
        _covarianceWeights = new double[points];
        _meanWeights[0] = lambda / (n + lambda);
        _covarianceWeights[0] = _meanWeights[0] + (1 - (options.Alpha * options.Alpha) + options.Beta);
        for (var k = 1; k < points; k++)
        {
            _meanWeights[k] = _covarianceWeights[k] = 1 / (2 * (n + lambda));
        }
        _sigma = new double[points * n];
        _propagated = new double[points * n];
        _observed = new double[points * model.ObservationSize];
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
        SigmaPoints();
        for (var k = 0; k < _meanWeights.Length; k++)
        {
            var next = _propagated.AsSpan(k * n, n);
            _model.Transition(t, dt, _sigma.AsSpan(k * n, n), next);
            Matrices.CheckFinite(next, "The model transition");
        }
        var (mean, covariance) = Moments(_propagated, n);
        if (_model.ProcessNoise?.Invoke(dt) is { } q)
        {
            Matrices.CheckCovariance(q, n, "The process noise Q(dt)", nameof(dt), semiDefinite: true);
            covariance += Matrices.M.DenseOfArray(q);
        }
        _core.Mean = mean;
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
        var k = present.Length;
        SigmaPoints();
        for (var j = 0; j < _meanWeights.Length; j++)
        {
            var y = _observed.AsSpan(j * m, m);
            _model.Observe(Time, _sigma.AsSpan(j * n, n), y);
            Matrices.CheckFinite(y, "The observation function");
        }
        var predicted = Matrices.V.Dense(k);
        for (var j = 0; j < _meanWeights.Length; j++)
        {
            for (var i = 0; i < k; i++)
            {
                predicted[i] += _meanWeights[j] * _observed[(j * m) + present[i]];
            }
        }
        var innovationCovariance = Matrices.Sub(_model.ObservationNoise, present);
        var crossCovariance = Matrices.M.Dense(n, k);
        var dy = new double[k];
        for (var j = 0; j < _meanWeights.Length; j++)
        {
            var w = _covarianceWeights[j];
            for (var i = 0; i < k; i++)
            {
                dy[i] = _observed[(j * m) + present[i]] - predicted[i];
            }
            for (var a = 0; a < k; a++)
            {
                for (var b = 0; b < k; b++)
                {
                    innovationCovariance[a, b] += w * dy[a] * dy[b];
                }
            }
            for (var a = 0; a < n; a++)
            {
                var dx = w * (_sigma[(j * n) + a] - _core.Mean[a]);
                for (var b = 0; b < k; b++)
                {
                    crossCovariance[a, b] += dx * dy[b];
                }
            }
        }
        _core.Correct(Matrices.Gather(observation, present) - predicted, crossCovariance, innovationCovariance);
    }

    /// <inheritdoc/>
    public IReadOnlyList<double[]> Sample(int count, ulong seed) => _core.Sample(count, seed);

    /// <summary>Writes the sigma points of the current estimate, point k at [k n, (k + 1) n).</summary>
    private void SigmaPoints()
    {
        var n = StateSize;
        var root = Matrices.Factor(_core.Covariance);
        var mean = _core.Mean;
        for (var i = 0; i < n; i++)
        {
            _sigma[i] = mean[i];
        }
        for (var c = 0; c < n; c++)
        {
            for (var i = 0; i < n; i++)
            {
                var offset = _spread * root[i, c];
                _sigma[((1 + c) * n) + i] = mean[i] + offset;
                _sigma[((1 + n + c) * n) + i] = mean[i] - offset;
            }
        }
    }

    private (Vector<double> Mean, Matrix<double> Covariance) Moments(double[] points, int n)
    {
        var mean = Matrices.V.Dense(n);
        for (var k = 0; k < _meanWeights.Length; k++)
        {
            for (var i = 0; i < n; i++)
            {
                mean[i] += _meanWeights[k] * points[(k * n) + i];
            }
        }
        var covariance = Matrices.M.Dense(n, n);
        var d = new double[n];
        for (var k = 0; k < _meanWeights.Length; k++)
        {
            for (var i = 0; i < n; i++)
            {
                d[i] = points[(k * n) + i] - mean[i];
            }
            var w = _covarianceWeights[k];
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j <= i; j++)
                {
                    covariance[i, j] += w * d[i] * d[j];
                }
            }
        }
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                covariance[j, i] = covariance[i, j];
            }
        }
        return (mean, covariance);
    }
}
