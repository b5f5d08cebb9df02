using Doppel.Estimation;
using Doppel.Simulation.Continuous;

namespace Doppel.Tests.Estimation;

/// <summary>Bad inputs are rejected with an <see cref="ArgumentException"/> that says what is wrong.</summary>
public sealed class EstimationInputTests
{
    private static readonly StateSpaceModel Model = LinearModels.TwoObservations().ToStateSpaceModel();

    private static readonly double[,] Identity = { { 1.0, 0 }, { 0, 1 } };

    [Fact]
    public void A_mean_of_the_wrong_size_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new UnscentedKalmanFilter(Model, [1, 2, 3], Identity));

        Assert.Contains("The initial mean has 3 components; the model has 2", error.Message);
        Assert.Equal("mean", error.ParamName);
    }

    [Fact]
    public void A_covariance_of_the_wrong_shape_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new ExtendedKalmanFilter(Model, [1, 2], new double[3, 3]));

        Assert.Contains("The initial covariance is 3 × 3; it must be 2 × 2", error.Message);
    }

    [Fact]
    public void A_non_positive_definite_observation_noise_is_rejected()
    {
        var model = Model with { ObservationNoise = new[,] { { 1.0, 2 }, { 2, 1 } } };

        var error = Assert.Throws<ArgumentException>(() => new EnsembleKalmanFilter(model, [1, 2], Identity, new EnsembleOptions()));

        Assert.Contains("The observation noise R must be positive definite; its smallest eigenvalue is -1", error.Message);
    }

    [Fact]
    public void A_singular_observation_noise_is_rejected()
    {
        var model = Model with { ObservationNoise = new[,] { { 1.0, 1 }, { 1, 1 } } };

        var error = Assert.Throws<ArgumentException>(() => new ParticleFilter(model, [1, 2], Identity, new ParticleFilterOptions()));

        Assert.Contains("must be positive definite", error.Message);
    }

    [Fact]
    public void An_asymmetric_covariance_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new UnscentedKalmanFilter(Model, [1, 2], new[,] { { 1.0, 0.5 }, { 0.2, 1 } }));

        Assert.Contains("is not symmetric: (0, 1) = 0.5 but (1, 0) = 0.2", error.Message);
    }

    [Fact]
    public void An_observation_noise_of_the_wrong_size_is_rejected()
    {
        var model = Model with { ObservationNoise = new[,] { { 1.0 } } };

        var error = Assert.Throws<ArgumentException>(() => new ThreeDVar(model, [1, 2], Identity));

        Assert.Contains("The observation noise R is 1 × 1; it must be 2 × 2", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void An_ensemble_of_fewer_than_two_members_is_rejected(int members)
    {
        var error = Assert.Throws<ArgumentException>(() => new EnsembleKalmanFilter(Model, [1, 2], Identity, new EnsembleOptions { Members = members }));

        Assert.Contains($"An ensemble needs at least 2 members; got {members}", error.Message);
    }

    [Fact]
    public void A_particle_filter_of_one_particle_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new ParticleFilter(Model, [1, 2], Identity, new ParticleFilterOptions { Particles = 1 }));

        Assert.Contains("A particle filter needs at least 2 particles; got 1", error.Message);
    }

    [Fact]
    public void An_observation_of_the_wrong_size_is_rejected_and_changes_nothing()
    {
        var filter = new KalmanFilter(LinearModels.TwoObservations(), [1, 2], Identity);

        var error = Assert.Throws<ArgumentException>(() => filter.Update([1.0]));

        Assert.Contains("The observation has 1 components; the model observes 2", error.Message);
        Assert.Equal([1, 2], filter.Mean);
    }

    [Fact]
    public void An_infinite_observation_is_rejected_while_NaN_means_missing()
    {
        var filter = new UnscentedKalmanFilter(Model, [1, 2], Identity);

        var error = Assert.Throws<ArgumentException>(() => filter.Update([double.PositiveInfinity, 1]));

        Assert.Contains("infinite at index 0 (NaN marks a missing entry)", error.Message);
    }

    [Fact]
    public void A_negative_forecast_step_is_rejected()
    {
        var filter = new EnsembleKalmanFilter(Model, [1, 2], Identity, new EnsembleOptions { Members = 4 });

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => filter.Predict(-1));

        Assert.Contains("finite and non-negative", error.Message);
    }

    [Fact]
    public void Inflation_below_one_and_bad_localisation_are_rejected()
    {
        Assert.Contains("inflation must be a finite factor ≥ 1", Assert.Throws<ArgumentException>(() => new EnsembleKalmanFilter(Model, [1, 2], Identity, new EnsembleOptions { Inflation = 0.9 })).Message);
        Assert.Contains("positive radius", Assert.Throws<ArgumentException>(() => new EnsembleKalmanFilter(Model, [1, 2], Identity, new EnsembleOptions { Localization = new Localization(0, (_, _) => 0) })).Message);
        Assert.Contains("diagonal R", Assert.Throws<ArgumentException>(() => new EnsembleKalmanFilter(Model, [1, 2], Identity, new EnsembleOptions { Localization = new Localization(1, (_, _) => 0) })).Message);
    }

    [Fact]
    public void An_ode_model_steps_over_irregular_intervals_with_the_kernels_solver()
    {
        var model = StateSpaceModel.FromOde((_, x, dx) => dx[0] = -0.5 * x[0], 1, (_, x, y) => y[0] = x[0], 1, new[,] { { 1.0 } });
        var next = new double[1];

        foreach (var dt in new[] { 0.01, 0.7, 3.3 })
        {
            model.Transition(1, dt, [2.0], next);
            Assert.Equal(2 * Math.Exp(-0.5 * dt), next[0], 6);
        }
    }

    [Fact]
    public void An_ode_model_whose_solver_gives_up_reports_it()
    {
        // dx/dt = x² blows up at t = 1 from x(0) = 1.
        var model = StateSpaceModel.FromOde((_, x, dx) => dx[0] = x[0] * x[0], 1, (_, x, y) => y[0] = x[0], 1, new[,] { { 1.0 } }, OdeDiscretisation.DormandPrince54(new OdeOptions { MaxSteps = 2000 }));

        var error = Assert.Throws<InvalidOperationException>(() => model.Transition(0, 2, [1.0], new double[1]));

        Assert.Contains("The ODE solver stopped", error.Message);
    }
}
