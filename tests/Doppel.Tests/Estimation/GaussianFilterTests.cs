using Doppel.Estimation;
using MathNet.Numerics.LinearAlgebra;

namespace Doppel.Tests.Estimation;

/// <summary>The Kalman filter against closed-form posteriors, and the EKF, UKF and 3D-Var against the Kalman filter.</summary>
public sealed class GaussianFilterTests
{
    [Fact]
    public void Kalman_filter_gives_the_analytic_posterior_of_a_scalar_model()
    {
        // x' = 0.9 x + w (q = 0.2), y = x + v (r = 0.5), prior N(2, 1), one forecast and one observation y = 1.
        var model = new LinearGaussianModel(_ => new[,] { { 0.9 } }, new[,] { { 1.0 } })
        {
            ObservationNoise = new[,] { { 0.5 } },
            ProcessNoise = _ => new[,] { { 0.2 } },
        };
        var filter = new KalmanFilter(model, [2], new[,] { { 1.0 } });

        filter.Predict(1);
        filter.Update([1.0]);

        var forecastMean = 0.9 * 2;
        var forecastVariance = (0.81 * 1) + 0.2;
        var gain = forecastVariance / (forecastVariance + 0.5);
        Assert.Equal(forecastMean + (gain * (1 - forecastMean)), filter.Mean[0], 12);
        Assert.Equal((1 - gain) * forecastVariance, filter.Covariance[0, 0], 12);
        Assert.Equal(1, filter.Time);
    }

    [Fact]
    public void Kalman_filter_on_a_static_state_equals_the_batch_least_squares_posterior()
    {
        // Posterior precision P⁻¹ = P0⁻¹ + Σ Hᵀ R⁻¹ H and mean P (P0⁻¹ m0 + Σ Hᵀ R⁻¹ y), computed independently here.
        var h = new double[,] { { 1, 0.5 }, { -0.3, 2 } };
        var r = new[,] { { 0.4, 0.05 }, { 0.05, 0.3 } };
        var model = new LinearGaussianModel(_ => new double[,] { { 1, 0 }, { 0, 1 } }, h) { ObservationNoise = r };
        var filter = new KalmanFilter(model, LinearModels.PriorMean, LinearModels.PriorCovariance);
        double[][] ys = [[1, 2], [0.5, 1.5], [1.2, 2.4], [0.8, 1.9]];

        foreach (var y in ys)
        {
            filter.Predict(0.5);
            filter.Update(y);
        }

        var m = Matrix<double>.Build;
        var hm = m.DenseOfArray(h);
        var rInverse = m.DenseOfArray(r).Inverse();
        var precision = m.DenseOfArray(LinearModels.PriorCovariance).Inverse();
        var information = precision * Vector<double>.Build.DenseOfArray(LinearModels.PriorMean);
        foreach (var y in ys)
        {
            precision += hm.TransposeThisAndMultiply(rInverse * hm);
            information += hm.TransposeThisAndMultiply(rInverse * Vector<double>.Build.DenseOfArray(y));
        }
        var covariance = precision.Inverse();
        LinearModels.AssertClose((covariance * information).ToArray(), filter.Mean, 1e-10);
        LinearModels.AssertClose(covariance.ToArray(), filter.Covariance, 1e-10);
    }

    [Fact]
    public void A_missing_entry_is_the_same_as_observing_only_the_others()
    {
        var full = new KalmanFilter(LinearModels.TwoObservations(), LinearModels.PriorMean, LinearModels.PriorCovariance);
        var reduced = new KalmanFilter(
            LinearModels.ConstantVelocity(new double[,] { { 1, 1 } }, new[,] { { 0.8 } }), LinearModels.PriorMean, LinearModels.PriorCovariance);

        full.Update([double.NaN, 2]);
        reduced.Update([2]);

        LinearModels.AssertClose(reduced.Mean, full.Mean, 1e-12);
        LinearModels.AssertClose(reduced.Covariance, full.Covariance, 1e-12);
    }

    [Fact]
    public void An_all_missing_observation_changes_nothing()
    {
        var filter = new UnscentedKalmanFilter(LinearModels.TwoObservations().ToStateSpaceModel(), LinearModels.PriorMean, LinearModels.PriorCovariance);

        filter.Update([double.NaN, double.NaN]);

        LinearModels.AssertClose(LinearModels.PriorMean, filter.Mean, 0);
    }

    public static TheoryData<string> NonlinearFilters { get; } = ["ukf", "ekf exact Jacobians", "ekf finite differences"];

    [Theory]
    [MemberData(nameof(NonlinearFilters))]
    public void Nonlinear_filters_on_a_linear_model_equal_the_Kalman_filter(string kind)
    {
        var linear = LinearModels.TwoObservations();
        var model = linear.ToStateSpaceModel();
        IStateEstimator filter = kind switch
        {
            "ukf" => new UnscentedKalmanFilter(model, LinearModels.PriorMean, LinearModels.PriorCovariance),
            "ekf exact Jacobians" => new ExtendedKalmanFilter(model, LinearModels.PriorMean, LinearModels.PriorCovariance),
            _ => new ExtendedKalmanFilter(model with { TransitionJacobian = null, ObservationJacobian = null }, LinearModels.PriorMean, LinearModels.PriorCovariance),
        };
        var reference = new KalmanFilter(linear, LinearModels.PriorMean, LinearModels.PriorCovariance);

        LinearModels.Run(filter);
        LinearModels.Run(reference);

        LinearModels.AssertClose(reference.Mean, filter.Mean, 1e-8);
        LinearModels.AssertClose(reference.Covariance, filter.Covariance, 1e-8);
        Assert.Equal(reference.Time, filter.Time);
    }

    [Fact]
    public void ThreeDVar_with_the_forecast_covariance_as_background_makes_the_Kalman_analysis()
    {
        var linear = LinearModels.TwoObservations();
        var kalman = new KalmanFilter(linear, LinearModels.PriorMean, LinearModels.PriorCovariance);
        var variational = new ThreeDVar(linear.ToStateSpaceModel() with { ObservationJacobian = null }, LinearModels.PriorMean, LinearModels.PriorCovariance, iterations: 3);

        kalman.Update([1.5, 0.2]);
        variational.Update([1.5, 0.2]);

        LinearModels.AssertClose(kalman.Mean, variational.Mean, 1e-8);
        LinearModels.AssertClose(kalman.Covariance, variational.Covariance, 1e-8);
    }

    [Fact]
    public void ThreeDVar_keeps_its_background_covariance_through_forecasts()
    {
        var variational = new ThreeDVar(LinearModels.TwoObservations().ToStateSpaceModel(), LinearModels.PriorMean, LinearModels.PriorCovariance);

        variational.Update([1.5, 0.2]);
        variational.Predict(1);

        LinearModels.AssertClose(LinearModels.PriorCovariance, variational.Covariance, 0);
    }

    [Fact]
    public void A_Gaussian_filters_samples_follow_its_estimate_and_repeat_for_a_seed()
    {
        var filter = new UnscentedKalmanFilter(LinearModels.TwoObservations().ToStateSpaceModel(), LinearModels.PriorMean, LinearModels.PriorCovariance);
        LinearModels.Run(filter, cycles: 3);

        var samples = filter.Sample(40_000, seed: 5);

        Assert.Equal(filter.Sample(3, seed: 5)[2], samples[2]);
        Assert.NotEqual(filter.Sample(1, seed: 6)[0], samples[0]);
        var (mean, covariance) = Moments(samples);
        var sd = Math.Sqrt(filter.Covariance[0, 0]);
        LinearModels.AssertClose(filter.Mean, mean, 0.03 * sd);
        LinearModels.AssertClose(filter.Covariance, covariance, 0.03 * filter.Covariance[0, 0]);
    }

    [Fact]
    public void The_unscented_filter_rejects_a_forecast_the_model_fails_and_keeps_its_estimate()
    {
        var linear = LinearModels.TwoObservations().ToStateSpaceModel();
        var model = linear with
        {
            Transition = (t, dt, x, next) =>
            {
                if (dt > 1)
                {
                    throw new InvalidOperationException("the solver gave up");
                }
                linear.Transition(t, dt, x, next);
            },
        };
        var filter = new UnscentedKalmanFilter(model, LinearModels.PriorMean, LinearModels.PriorCovariance);
        filter.Predict(0.5);
        var before = filter.Mean;

        Assert.Throws<InvalidOperationException>(() => filter.Predict(2));

        LinearModels.AssertClose(before, filter.Mean, 0);
        Assert.Equal(0.5, filter.Time);
    }

    internal static (double[] Mean, double[,] Covariance) Moments(IReadOnlyList<double[]> samples)
    {
        var n = samples[0].Length;
        var mean = new double[n];
        foreach (var s in samples)
        {
            for (var i = 0; i < n; i++)
            {
                mean[i] += s[i] / samples.Count;
            }
        }
        var covariance = new double[n, n];
        foreach (var s in samples)
        {
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    covariance[i, j] += (s[i] - mean[i]) * (s[j] - mean[j]) / (samples.Count - 1);
                }
            }
        }
        return (mean, covariance);
    }
}
