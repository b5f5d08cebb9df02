namespace Doppel.Simulation.Continuous;

/// <summary>Tolerances and limits of the adaptive solvers (the fixed-step solver reads only the limits).</summary>
public sealed record OdeOptions
{
    /// <summary>The defaults: rtol 1e-6, atol 1e-9, automatic initial step, no maximum step, 100,000 steps.</summary>
    public static OdeOptions Default { get; } = new();

    /// <summary>Relative tolerance of the local error estimate per component.</summary>
    public double RelativeTolerance { get; init; } = 1e-6;

    /// <summary>Absolute tolerance of the local error estimate per component.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-9;

    /// <summary>The first step size; 0 lets the solver estimate it from the problem.</summary>
    public double InitialStep { get; init; }

    /// <summary>The largest step size; also bounds how long an even number of event crossings can hide in one step.</summary>
    public double MaxStep { get; init; } = double.PositiveInfinity;

    /// <summary>The most step attempts (accepted and rejected) in one call of <see cref="OdeSolver.IntegrateTo"/>.</summary>
    public int MaxSteps { get; init; } = 100_000;

    /// <summary>The width in t to which event times are located (never finer than a few ulps of t).</summary>
    public double EventTolerance { get; init; } = 1e-12;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(RelativeTolerance);
        ArgumentOutOfRangeException.ThrowIfNegative(AbsoluteTolerance);
        if (RelativeTolerance == 0 && AbsoluteTolerance == 0)
        {
            throw new ArgumentException("At least one of the tolerances must be positive.", nameof(AbsoluteTolerance));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(InitialStep);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxStep);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxSteps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(EventTolerance);
    }
}
