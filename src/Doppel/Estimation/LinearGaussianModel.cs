using Doppel.Estimation.Internal;

namespace Doppel.Estimation;

/// <summary>
/// A linear-Gaussian model x(t + dt) = F(dt) x + w, y = H x + v, w ~ N(0, Q(dt)), v ~ N(0, R): the
/// <see cref="KalmanFilter"/>'s model, for which it gives the exact posterior.
/// </summary>
public sealed record LinearGaussianModel(Func<double, double[,]> Transition, double[,] Observation)
{
    /// <summary>The process noise covariance Q for a step of dt (null: none).</summary>
    public Func<double, double[,]>? ProcessNoise { get; init; }

    /// <summary>The observation noise covariance R (m × m, symmetric positive definite).</summary>
    public required double[,] ObservationNoise { get; init; }

    /// <summary>The number of state components (the columns of H).</summary>
    public int StateSize => Observation.GetLength(1);

    /// <summary>The number of observed components (the rows of H).</summary>
    public int ObservationSize => Observation.GetLength(0);

    /// <summary>Throws an <see cref="ArgumentException"/> naming what is inconsistent.</summary>
    public void Validate()
    {
        if (Transition is null)
        {
            throw new ArgumentException("The model needs a transition matrix function F(dt).", nameof(Transition));
        }
        if (Observation is null || Observation.Length == 0)
        {
            throw new ArgumentException("The observation matrix H is missing or empty.", nameof(Observation));
        }
        Matrices.CheckCovariance(ObservationNoise, ObservationSize, "The observation noise R", nameof(ObservationNoise), semiDefinite: false);
    }

    /// <summary>The same model as a <see cref="StateSpaceModel"/> with exact Jacobians, for the nonlinear filters.</summary>
    public StateSpaceModel ToStateSpaceModel()
    {
        Validate();
        var n = StateSize;
        var m = ObservationSize;
        var h = Observation;
        var transition = Transition;
        return new StateSpaceModel(
            n,
            m,
            (t, dt, x, next) => Multiply(CheckTransition(transition(dt), n), x, next),
            (t, x, y) => Multiply(h, x, y))
        {
            ObservationNoise = ObservationNoise,
            ProcessNoise = ProcessNoise,
            TransitionJacobian = (t, dt, x, jacobian) => Flatten(CheckTransition(transition(dt), n), jacobian),
            ObservationJacobian = (t, x, jacobian) => Flatten(h, jacobian),
        };
    }

    internal static double[,] CheckTransition(double[,] f, int n)
    {
        if (f is null || f.GetLength(0) != n || f.GetLength(1) != n)
        {
            throw new InvalidOperationException($"The transition matrix F(dt) must be {n} × {n}.");
        }
        return f;
    }

    private static void Multiply(double[,] a, ReadOnlySpan<double> x, Span<double> y)
    {
        for (var i = 0; i < a.GetLength(0); i++)
        {
            var sum = 0.0;
            for (var j = 0; j < a.GetLength(1); j++)
            {
                sum += a[i, j] * x[j];
            }
            y[i] = sum;
        }
    }

    private static void Flatten(double[,] a, Span<double> target)
    {
        var columns = a.GetLength(1);
        for (var i = 0; i < a.GetLength(0); i++)
        {
            for (var j = 0; j < columns; j++)
            {
                target[(i * columns) + j] = a[i, j];
            }
        }
    }
}
