using Doppel.Estimation;

namespace Doppel.Tests.Estimation;

/// <summary>Ensemble and particle filters converge to the Kalman filter on a linear-Gaussian model as N grows.</summary>
public sealed class EnsembleFilterTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_ETKF_whose_ensemble_has_the_priors_moments_equals_the_Kalman_filter(bool rotate)
    {
        // On a linear model without process noise the ETKF carries its sample mean and covariance exactly as the
        // Kalman filter does (a random rotation keeps both), so from the prior's moments the two agree to rounding.
        var linear = LinearModels.ConstantVelocity(new double[,] { { 1, 0 }, { 1, 1 } }, new[,] { { 0.5, 0.1 }, { 0.1, 0.8 } }, acceleration: 0);
        var members = WithExactMoments(LinearModels.PriorMean, LinearModels.PriorCovariance, 12, seed: 3);
        var filter = new EnsembleKalmanFilter(linear.ToStateSpaceModel(), members, new EnsembleOptions { Seed = 3, RandomRotation = rotate });
        var reference = new KalmanFilter(linear, LinearModels.PriorMean, LinearModels.PriorCovariance);

        LinearModels.Run(filter);
        LinearModels.Run(reference);

        LinearModels.AssertClose(reference.Mean, filter.Mean, 1e-9);
        LinearModels.AssertClose(reference.Covariance, filter.Covariance, 1e-9);
    }

    [Fact]
    public void A_large_stochastic_EnKF_with_process_noise_approaches_the_Kalman_filter()
    {
        var linear = LinearModels.TwoObservations();
        var filter = new EnsembleKalmanFilter(linear.ToStateSpaceModel(), LinearModels.PriorMean, LinearModels.PriorCovariance, new EnsembleOptions { Members = 4000, Variant = EnsembleVariant.Stochastic, Seed = 3 });
        var reference = new KalmanFilter(linear, LinearModels.PriorMean, LinearModels.PriorCovariance);

        LinearModels.Run(filter);
        LinearModels.Run(reference);

        AssertNear(reference, filter, 0.08);
    }

    [Fact]
    public void A_small_ensemble_is_not_the_Kalman_filter()
    {
        // The comparison above can fail: with 5 members the sampling error is far beyond its tolerance.
        var linear = LinearModels.TwoObservations();
        var filter = new EnsembleKalmanFilter(linear.ToStateSpaceModel(), LinearModels.PriorMean, LinearModels.PriorCovariance, new EnsembleOptions { Members = 5, Seed = 3 });
        var reference = new KalmanFilter(linear, LinearModels.PriorMean, LinearModels.PriorCovariance);

        LinearModels.Run(filter);
        LinearModels.Run(reference);

        Assert.ThrowsAny<Exception>(() => AssertNear(reference, filter, 0.03));
    }

    [Fact]
    public void A_particle_filter_with_many_particles_equals_the_Kalman_filter()
    {
        var linear = LinearModels.TwoObservations();
        var filter = new ParticleFilter(linear.ToStateSpaceModel(), LinearModels.PriorMean, LinearModels.PriorCovariance, new ParticleFilterOptions { Particles = 40_000, Seed = 4 });
        var reference = new KalmanFilter(linear, LinearModels.PriorMean, LinearModels.PriorCovariance);

        LinearModels.Run(filter);
        LinearModels.Run(reference);

        AssertNear(reference, filter, 0.08);
        Assert.True(filter.Resamplings > 0);
    }

    [Fact]
    public void Localisation_with_an_infinite_radius_is_the_global_ETKF()
    {
        var model = Lorenz96.Model(size: 8);
        var mean = Enumerable.Range(0, 8).Select(i => 8.0 + i).ToArray();
        var covariance = new double[8, 8];
        for (var i = 0; i < 8; i++)
        {
            covariance[i, i] = 1;
        }
        var options = new EnsembleOptions { Members = 10, Seed = 2, Inflation = 1.05, RandomRotation = true };
        var global = new EnsembleKalmanFilter(model, mean, covariance, options);
        var local = new EnsembleKalmanFilter(model, mean, covariance, options with { Localization = Localization.Periodic(8, 1e9) });
        var y = Enumerable.Range(0, 8).Select(i => 7.5 + (0.9 * i)).ToArray();

        foreach (var filter in new[] { global, local })
        {
            filter.Predict(0.05);
            filter.Update(y);
        }

        LinearModels.AssertClose(global.Mean, local.Mean, 1e-9);
        LinearModels.AssertClose(global.Covariance, local.Covariance, 1e-9);
    }

    [Fact]
    public void The_Gaspari_Cohn_taper_is_one_at_zero_and_zero_from_twice_the_radius()
    {
        var localization = new Localization(2, (_, _) => 0);

        Assert.Equal(1, localization.Taper(0), 12);
        Assert.Equal(0, localization.Taper(4), 12);
        Assert.Equal(0, localization.Taper(5));
        Assert.Equal(0.2083333333, localization.Taper(2), 8);   // 1 − 5/3 + 5/8 + 1/2 − 1/4 at r = 1
        Assert.True(localization.Taper(1) > localization.Taper(3));
    }

    [Fact]
    public void A_member_the_model_fails_on_is_dropped_and_replaced()
    {
        var linear = LinearModels.TwoObservations().ToStateSpaceModel();
        var model = linear with
        {
            Transition = (t, dt, x, next) =>
            {
                if (x[1] == 99)
                {
                    throw new InvalidOperationException("this member leaves the model's domain");
                }
                linear.Transition(t, dt, x, next);
                if (x[1] == 98)
                {
                    next[0] = double.NaN;
                }
            },
        };
        double[][] members = [[0, 0], [1, 99], [0.5, 0.1], [2, 98], [1.5, -0.2]];
        var ensemble = new EnsembleKalmanFilter(model, members, new EnsembleOptions { Seed = 1 });

        ensemble.Predict(0.5);
        ensemble.Update([0.4, 0.3]);

        Assert.Equal(2, ensemble.DroppedMembers);
        Assert.All(ensemble.Mean, v => Assert.True(double.IsFinite(v)));
        for (var i = 0; i < ensemble.Members; i++)
        {
            Assert.NotEqual(99, ensemble.Member(i)[1]);
        }
    }

    [Fact]
    public void A_particle_the_model_fails_on_gets_no_weight()
    {
        var linear = LinearModels.TwoObservations().ToStateSpaceModel();
        var model = linear with
        {
            Transition = (t, dt, x, next) =>
            {
                if (x[0] > 1)
                {
                    throw new InvalidOperationException("outside the model's domain");
                }
                linear.Transition(t, dt, x, next);
            },
        };
        var filter = new ParticleFilter(model, [0, 0], new[,] { { 1.0, 0 }, { 0, 1 } }, new ParticleFilterOptions { Particles = 200, Seed = 9 });
        var outside = Enumerable.Range(0, 200).Where(i => filter.Particle(i)[0] > 1).ToHashSet();

        filter.Predict(0.1);

        Assert.InRange(outside.Count, 10, 60);
        Assert.Equal(outside.Count, filter.DroppedParticles);
        var weights = filter.Weights;
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(outside.Contains(i), weights[i] == 0);
        }
        Assert.Equal(1, weights.Sum(), 12);
    }

    [Fact]
    public void An_ensembles_samples_are_its_members_and_repeat_for_a_seed()
    {
        var filter = new EnsembleKalmanFilter(LinearModels.TwoObservations().ToStateSpaceModel(), LinearModels.PriorMean, LinearModels.PriorCovariance, new EnsembleOptions { Members = 6, Seed = 2 });

        var all = filter.Sample(6, seed: 1);
        var some = filter.Sample(4, seed: 1);

        Assert.Equal(
            Enumerable.Range(0, 6).Select(i => string.Join(',', filter.Member(i))).Order(),
            all.Select(s => string.Join(',', s)).Order());
        Assert.Equal(some.Select(s => string.Join(',', s)), filter.Sample(4, seed: 1).Select(s => string.Join(',', s)));
        Assert.Equal(13, filter.Sample(13, seed: 3).Count);
    }

    [Fact]
    public void A_particle_filters_samples_follow_the_weights()
    {
        var linear = LinearModels.TwoObservations();
        var filter = new ParticleFilter(linear.ToStateSpaceModel(), LinearModels.PriorMean, LinearModels.PriorCovariance, new ParticleFilterOptions { Particles = 20_000, Seed = 4, ResamplingThreshold = 0 });
        filter.Update([1.2, 0.4]);

        var (mean, _) = GaussianFilterTests.Moments(filter.Sample(20_000, seed: 8));

        LinearModels.AssertClose(filter.Mean, mean, 0.02);
    }

    [Fact]
    public void An_ensemble_filter_is_deterministic_for_its_seed()
    {
        var model = Lorenz63.Model();
        EnsembleKalmanFilter Make() => new(model, [1, 1, 20], new[,] { { 2.0, 0, 0 }, { 0, 2, 0 }, { 0, 0, 2 } }, new EnsembleOptions { Members = 10, Variant = EnsembleVariant.Stochastic, Seed = 11, RandomRotation = true, Inflation = 1.02 });
        var a = Make();
        var b = Make();

        foreach (var filter in new[] { a, b })
        {
            filter.Predict(0.25);
            filter.Update([1.5, 2, 19]);
        }

        Assert.Equal(a.Mean, b.Mean);
    }

    /// <summary>Members whose sample mean and covariance are exactly <paramref name="mean"/> and <paramref name="covariance"/>.</summary>
    private static double[][] WithExactMoments(double[] mean, double[,] covariance, int count, ulong seed)
    {
        var random = new Doppel.Simulation.SimRandom(seed);
        var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build;
        var z = m.Dense(mean.Length, count, (_, _) => random.Normal(0, 1));
        var centred = z - m.Dense(mean.Length, count, (i, _) => z.Row(i).Average());
        var whiten = (centred.TransposeAndMultiply(centred) / (count - 1)).Cholesky().Factor;
        var white = whiten.Solve(centred);
        var members = m.DenseOfArray(covariance).Cholesky().Factor * white;
        return Enumerable.Range(0, count).Select(c => Enumerable.Range(0, mean.Length).Select(i => mean[i] + members[i, c]).ToArray()).ToArray();
    }

    private static void AssertNear(KalmanFilter reference, IStateEstimator filter, double relative)
    {
        var covariance = reference.Covariance;
        var mean = reference.Mean;
        var estimate = filter.Mean;
        var estimateCovariance = filter.Covariance;
        for (var i = 0; i < mean.Length; i++)
        {
            var sd = Math.Sqrt(covariance[i, i]);
            Assert.True(Math.Abs(estimate[i] - mean[i]) <= relative * sd, $"mean {i}: {estimate[i]} vs the Kalman filter's {mean[i]} (sd {sd})");
            for (var j = 0; j < mean.Length; j++)
            {
                var scale = Math.Sqrt(covariance[i, i] * covariance[j, j]);
                Assert.True(Math.Abs(estimateCovariance[i, j] - covariance[i, j]) <= 2 * relative * scale, $"covariance ({i}, {j}): {estimateCovariance[i, j]} vs the Kalman filter's {covariance[i, j]}");
            }
        }
    }
}
