using Doppel.Estimation;

namespace Doppel.Tests.Estimation;

/// <summary>Linear-Gaussian models whose exact posterior the Kalman filter gives, for checking the other filters against it.</summary>
internal static class LinearModels
{
    /// <summary>A constant-velocity model (position, velocity) with white-noise acceleration, observed through H.</summary>
    public static LinearGaussianModel ConstantVelocity(double[,] observation, double[,] observationNoise, double acceleration = 0.1) =>
        new(dt => new[,] { { 1, dt }, { 0, 1 } }, observation)
        {
            ObservationNoise = observationNoise,
            ProcessNoise = dt => new[,]
            {
                { acceleration * dt * dt * dt / 3, acceleration * dt * dt / 2 },
                { acceleration * dt * dt / 2, acceleration * dt },
            },
        };

    /// <summary>Position and position + velocity observed, with correlated errors.</summary>
    public static LinearGaussianModel TwoObservations() =>
        ConstantVelocity(new double[,] { { 1, 0 }, { 1, 1 } }, new[,] { { 0.5, 0.1 }, { 0.1, 0.8 } });

    public static readonly double[] PriorMean = [1, -0.5];

    public static readonly double[,] PriorCovariance = { { 2, 0.3 }, { 0.3, 1 } };

    /// <summary>Irregular steps, with a missing entry now and then (NaN).</summary>
    public static readonly (double Dt, double[] Y)[] Cycles =
    [
        (0.3, [1.2, 0.4]),
        (1.1, [0.6, double.NaN]),
        (0.05, [double.NaN, 0.9]),
        (2.0, [-0.3, -0.1]),
        (0.7, [0.1, 0.5]),
        (0.0, [0.2, double.NaN]),
        (1.5, [1.4, 2.2]),
    ];

    public static void Run(IStateEstimator filter, int cycles = int.MaxValue)
    {
        foreach (var (dt, y) in Cycles.Take(cycles))
        {
            filter.Predict(dt);
            filter.Update(y);
        }
    }

    public static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"component {i}: expected {expected[i]}, got {actual[i]} (tolerance {tolerance})");
        }
    }

    public static void AssertClose(double[,] expected, double[,] actual, double tolerance)
    {
        for (var i = 0; i < expected.GetLength(0); i++)
        {
            for (var j = 0; j < expected.GetLength(1); j++)
            {
                Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= tolerance, $"({i}, {j}): expected {expected[i, j]}, got {actual[i, j]} (tolerance {tolerance})");
            }
        }
    }
}
