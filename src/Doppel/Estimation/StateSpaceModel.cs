using Doppel.Estimation.Internal;
using Doppel.Simulation.Continuous;

namespace Doppel.Estimation;

/// <summary>
/// A discrete-time state-space model x(t + dt) = f(t, dt, x) + w, y(t) = h(t, x) + v, with w ~ N(0, Q(dt)) and
/// v ~ N(0, R): what every filter in this namespace assimilates into.
/// </summary>
public sealed record StateSpaceModel(int StateSize, int ObservationSize, StateTransition Transition, ObservationFunction Observe)
{
    /// <summary>The process noise covariance Q for a step of dt (null: a perfect model).</summary>
    public Func<double, double[,]>? ProcessNoise { get; init; }

    /// <summary>The observation noise covariance R (m × m, symmetric positive definite).</summary>
    public required double[,] ObservationNoise { get; init; }

    /// <summary>The transition's Jacobian for the extended Kalman filter (null: central finite differences).</summary>
    public TransitionJacobian? TransitionJacobian { get; init; }

    /// <summary>The observation's Jacobian for the extended Kalman filter and 3D-Var (null: central finite differences).</summary>
    public ObservationJacobian? ObservationJacobian { get; init; }

    /// <summary>
    /// The model dx/dt = f(t, x) discretised with one of the kernel's ODE solvers (default: adaptive Dormand–Prince),
    /// so a filter can step it over intervals of any length. Each thread gets its own solver.
    /// </summary>
    public static StateSpaceModel FromOde(
        OdeFunction derivatives, int stateSize, ObservationFunction observe, int observationSize, double[,] observationNoise, OdeDiscretisation? discretisation = null)
    {
        ArgumentNullException.ThrowIfNull(derivatives);
        ArgumentOutOfRangeException.ThrowIfLessThan(stateSize, 1);
        var transition = new OdeTransition(derivatives, stateSize, discretisation ?? OdeDiscretisation.DormandPrince54());
        return new StateSpaceModel(stateSize, observationSize, transition.Step, observe) { ObservationNoise = observationNoise };
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming what is inconsistent (sizes, a non-positive-definite R).</summary>
    public void Validate()
    {
        if (StateSize < 1)
        {
            throw new ArgumentException($"The model's state size must be at least 1, not {StateSize}.", nameof(StateSize));
        }
        if (ObservationSize < 1)
        {
            throw new ArgumentException($"The model's observation size must be at least 1, not {ObservationSize}.", nameof(ObservationSize));
        }
        if (Transition is null || Observe is null)
        {
            throw new ArgumentException("The model needs a transition and an observation function.", Transition is null ? nameof(Transition) : nameof(Observe));
        }
        Matrices.CheckCovariance(ObservationNoise, ObservationSize, "The observation noise R", nameof(ObservationNoise), semiDefinite: false);
    }
}
