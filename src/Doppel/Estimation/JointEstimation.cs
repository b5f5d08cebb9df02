using Doppel.Estimation.Internal;
using Doppel.Simulation.Continuous;

namespace Doppel.Estimation;

/// <summary>
/// Joint state and parameter estimation by state augmentation: z = [x; θ], the parameters follow a random walk
/// (θ(t + dt) = θ(t) + N(0, diag(drift²) dt)), so any filter in this namespace estimates both at once.
/// </summary>
public static class JointEstimation
{
    /// <summary>The augmented model of a parameterised step; <paramref name="parameterDrift"/> is each parameter's random-walk deviation per √time.</summary>
    public static StateSpaceModel Augment(
        ParameterizedTransition transition, int stateSize, int parameterCount, ObservationFunction observe, int observationSize,
        double[,] observationNoise, double[] parameterDrift, Func<double, double[,]>? stateNoise = null)
    {
        ArgumentNullException.ThrowIfNull(transition);
        Check(stateSize, parameterCount, parameterDrift, observe);
        var n = stateSize;
        return new StateSpaceModel(
            n + parameterCount,
            observationSize,
            (t, dt, z, next) =>
            {
                transition(t, dt, z[..n], z[n..], next[..n]);
                z[n..].CopyTo(next[n..]);
            },
            (t, z, y) => observe(t, z[..n], y))
        {
            ObservationNoise = observationNoise,
            ProcessNoise = Noise(n, parameterDrift, stateNoise),
        };
    }

    /// <summary>The augmented model of a parameterised ODE, discretised with the kernel's solvers (dθ/dt = 0 between steps).</summary>
    public static StateSpaceModel AugmentOde(
        ParameterizedOdeFunction derivatives, int stateSize, int parameterCount, ObservationFunction observe, int observationSize,
        double[,] observationNoise, double[] parameterDrift, OdeDiscretisation? discretisation = null, Func<double, double[,]>? stateNoise = null)
    {
        ArgumentNullException.ThrowIfNull(derivatives);
        Check(stateSize, parameterCount, parameterDrift, observe);
        var n = stateSize;
        OdeFunction augmented = (t, z, dz) =>
        {
            derivatives(t, z[..n], z[n..], dz[..n]);
            dz[n..].Clear();
        };
        return StateSpaceModel.FromOde(augmented, n + parameterCount, (t, z, y) => observe(t, z[..n], y), observationSize, observationNoise, discretisation)
            with
        { ProcessNoise = Noise(n, parameterDrift, stateNoise) };
    }

    /// <summary>The estimated parameters: the augmented mean after the <paramref name="stateSize"/> state components.</summary>
    public static double[] Parameters(IStateEstimator estimator, int stateSize)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return estimator.Mean[stateSize..];
    }

    private static void Check(int stateSize, int parameterCount, double[] parameterDrift, ObservationFunction observe)
    {
        ArgumentNullException.ThrowIfNull(observe);
        ArgumentOutOfRangeException.ThrowIfLessThan(stateSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(parameterCount, 1);
        Matrices.CheckVector(parameterDrift, parameterCount, "The parameter drift", nameof(parameterDrift));
        foreach (var drift in parameterDrift)
        {
            if (drift < 0)
            {
                throw new ArgumentException($"A parameter drift is a deviation and cannot be negative ({drift}).", nameof(parameterDrift));
            }
        }
    }

    private static Func<double, double[,]> Noise(int n, double[] drift, Func<double, double[,]>? stateNoise) => dt =>
    {
        var size = n + drift.Length;
        var q = new double[size, size];
        if (stateNoise?.Invoke(dt) is { } block)
        {
            Matrices.CheckCovariance(block, n, "The state process noise Q(dt)", nameof(stateNoise), semiDefinite: true);
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    q[i, j] = block[i, j];
                }
            }
        }
        for (var k = 0; k < drift.Length; k++)
        {
            q[n + k, n + k] = drift[k] * drift[k] * dt;
        }
        return q;
    };
}
