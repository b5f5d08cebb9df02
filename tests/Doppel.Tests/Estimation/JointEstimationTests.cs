using Doppel.Estimation;
using Doppel.Simulation.Continuous;

namespace Doppel.Tests.Estimation;

/// <summary>Joint state and parameter estimation by augmentation recovers a parameter the observations inform.</summary>
public sealed class JointEstimationTests
{
    private const double TrueRate = 0.7;

    // dx/dt = −k x + sin t: the decay rate k shows in how the response lags and damps the forcing.
    private static void Decay(double t, ReadOnlySpan<double> x, ReadOnlySpan<double> parameters, Span<double> dxdt) =>
        dxdt[0] = (-parameters[0] * x[0]) + Math.Sin(t);

    public static TheoryData<string> Filters { get; } = ["ukf", "etkf", "ekf"];

    [Theory]
    [MemberData(nameof(Filters))]
    public void Augmented_filters_recover_a_decay_rate_from_noisy_observations(string kind)
    {
        var model = JointEstimation.AugmentOde(Decay, 1, 1, (_, x, y) => y[0] = x[0], 1, new[,] { { 0.05 * 0.05 } }, parameterDrift: [0]);
        double[] prior = [0.5, 0.3];
        var priorCovariance = new[,] { { 0.25, 0 }, { 0, 0.25 } };
        IStateEstimator filter = kind switch
        {
            "ukf" => new UnscentedKalmanFilter(model, prior, priorCovariance),
            "ekf" => new ExtendedKalmanFilter(model, prior, priorCovariance),
            _ => new EnsembleKalmanFilter(model, prior, priorCovariance, new EnsembleOptions { Members = 30, Seed = 5, Inflation = 1.01 }),
        };
        var truth = Truth(seed: 12);

        foreach (var (t, y) in truth)
        {
            filter.Predict(t - filter.Time);
            filter.Update([y]);
        }

        var rate = JointEstimation.Parameters(filter, stateSize: 1)[0];
        var sd = Math.Sqrt(filter.Covariance[1, 1]);
        Assert.True(Math.Abs(rate - TrueRate) < 0.05, $"{kind}: k = {rate} ± {sd}, truth {TrueRate}");
        Assert.True(Math.Abs(rate - TrueRate) < 4 * sd, $"{kind}: k = {rate} ± {sd} does not cover {TrueRate}");
    }

    [Fact]
    public void The_augmented_model_keeps_the_parameters_and_lets_them_drift()
    {
        var model = JointEstimation.Augment((_, dt, x, p, next) => next[0] = x[0] + (dt * p[0]), 1, 2, (_, x, y) => y[0] = x[0], 1, new[,] { { 1.0 } }, parameterDrift: [0.1, 0]);
        var next = new double[3];

        model.Transition(0, 2, [1, 3, 4], next);

        Assert.Equal([7, 3, 4], next);
        var q = model.ProcessNoise!(2);
        Assert.Equal(0.02, q[1, 1], 12);
        Assert.Equal(0, q[2, 2]);
        Assert.Equal(0, q[0, 0]);
    }

    /// <summary>Irregularly spaced observations of the true decay, from the kernel's solver at tight tolerance.</summary>
    private static List<(double T, double Y)> Truth(ulong seed)
    {
        var random = new Doppel.Simulation.SimRandom(seed);
        var solver = new DormandPrince54Solver(new OdeProblem((t, x, dx) => Decay(t, x, [TrueRate], dx), 0, [0.8]), new OdeOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 });
        var observations = new List<(double, double)>();
        var t = 0.0;
        for (var k = 0; k < 150; k++)
        {
            t += 0.2 + (0.6 * random.NextDouble());
            solver.IntegrateTo(t);
            observations.Add((t, solver.State[0] + random.Normal(0, 0.05)));
        }
        return observations;
    }
}
