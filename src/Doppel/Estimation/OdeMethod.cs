namespace Doppel.Estimation;

/// <summary>The kernel's ODE solver a model is discretised with.</summary>
public enum OdeMethod
{
    /// <summary>Classical Runge–Kutta with a fixed step (<see cref="Simulation.Continuous.Rk4Solver"/>).</summary>
    Rk4,

    /// <summary>Adaptive Dormand–Prince 5(4) (<see cref="Simulation.Continuous.DormandPrince54Solver"/>).</summary>
    DormandPrince54,

    /// <summary>Adaptive, L-stable Rosenbrock method for stiff models (<see cref="Simulation.Continuous.Rodas4Solver"/>).</summary>
    Rodas4,
}
