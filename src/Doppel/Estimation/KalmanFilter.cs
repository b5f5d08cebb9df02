using Doppel.Estimation.Internal;
using MathNet.Numerics.LinearAlgebra;

namespace Doppel.Estimation;

/// <summary>The Kalman filter: the exact posterior of a <see cref="LinearGaussianModel"/>.</summary>
public sealed class KalmanFilter : IStateEstimator
{
    private readonly LinearGaussianModel _model;
    private readonly GaussianCore _core;
    private readonly Matrix<double> _h;

    /// <summary>Starts from the prior N(<paramref name="mean"/>, <paramref name="covariance"/>) at <paramref name="startTime"/>.</summary>
    public KalmanFilter(LinearGaussianModel model, double[] mean, double[,] covariance, double startTime = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Validate();
        _model = model;
        _core = new GaussianCore(model.StateSize, mean, covariance, startTime, nameof(mean), nameof(covariance));
        _h = Matrices.M.DenseOfArray(model.Observation);
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
        var f = Matrices.M.DenseOfArray(LinearGaussianModel.CheckTransition(_model.Transition(dt), StateSize));
        var covariance = f * _core.Covariance.TransposeAndMultiply(f);
        if (_model.ProcessNoise?.Invoke(dt) is { } q)
        {
            Matrices.CheckCovariance(q, StateSize, "The process noise Q(dt)", nameof(dt), semiDefinite: true);
            covariance += Matrices.M.DenseOfArray(q);
        }
        Matrices.Symmetrize(covariance);
        _core.Mean = f * _core.Mean;
        _core.Covariance = covariance;
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
        var h = Matrices.M.Dense(present.Length, StateSize, (i, j) => _h[present[i], j]);
        var y = Matrices.Gather(observation, present);
        var crossCovariance = _core.Covariance.TransposeAndMultiply(h);
        var innovationCovariance = (h * crossCovariance) + Matrices.Sub(_model.ObservationNoise, present);
        _core.Correct(y - (h * _core.Mean), crossCovariance, innovationCovariance);
    }

    /// <inheritdoc/>
    public IReadOnlyList<double[]> Sample(int count, ulong seed) => _core.Sample(count, seed);
}
