using Doppel.Simulation.Continuous;

namespace Doppel.Estimation;

/// <summary>How <see cref="StateSpaceModel.FromOde"/> turns dx/dt = f(t, x) into a <see cref="StateTransition"/>.</summary>
public sealed record OdeDiscretisation(OdeMethod Method)
{
    /// <summary>The fixed step for <see cref="OdeMethod.Rk4"/> (the last step of an interval is shortened to land on it).</summary>
    public double Step { get; init; }

    /// <summary>Tolerances and step limits for the adaptive methods.</summary>
    public OdeOptions Options { get; init; } = OdeOptions.Default;

    /// <summary>Fixed-step RK4 with steps of at most <paramref name="step"/>.</summary>
    public static OdeDiscretisation Rk4(double step) => new(OdeMethod.Rk4) { Step = step };

    /// <summary>Adaptive Dormand–Prince 5(4), for intervals of any length.</summary>
    public static OdeDiscretisation DormandPrince54(OdeOptions? options = null) => new(OdeMethod.DormandPrince54) { Options = options ?? OdeOptions.Default };

    /// <summary>Adaptive Rodas4 for stiff models.</summary>
    public static OdeDiscretisation Rodas4(OdeOptions? options = null) => new(OdeMethod.Rodas4) { Options = options ?? OdeOptions.Default };
}
