using Doppel.Simulation.Continuous;

namespace Doppel.Estimation.Internal;

/// <summary>
/// A <see cref="StateTransition"/> over one of the kernel's solvers: restart at (t, x), integrate to t + dt. A solver
/// per thread, because ensemble members may be propagated in parallel and solvers hold their state.
/// </summary>
internal sealed class OdeTransition
{
    private readonly ThreadLocal<OdeSolver> _solvers;

    public OdeTransition(OdeFunction derivatives, int stateSize, OdeDiscretisation discretisation)
    {
        ArgumentNullException.ThrowIfNull(discretisation);
        if (discretisation.Method == OdeMethod.Rk4 && !(discretisation.Step > 0))
        {
            throw new ArgumentException($"RK4 needs a positive step, not {discretisation.Step}.", nameof(discretisation));
        }
        discretisation.Options.Validate();
        _solvers = new ThreadLocal<OdeSolver>(() =>
        {
            var problem = new OdeProblem(derivatives, 0, new double[stateSize]);
            return discretisation.Method switch
            {
                OdeMethod.Rk4 => new Rk4Solver(problem, discretisation.Step, discretisation.Options),
                OdeMethod.Rodas4 => new Rodas4Solver(problem, discretisation.Options),
                _ => new DormandPrince54Solver(problem, discretisation.Options),
            };
        });
    }

    public void Step(double t, double dt, ReadOnlySpan<double> x, Span<double> next)
    {
        if (dt == 0)
        {
            x.CopyTo(next);
            return;
        }
        var solver = _solvers.Value!;
        solver.SetState(t, x);
        var result = solver.IntegrateTo(t + dt);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"The ODE solver stopped at t = {result.Time} before t = {t + dt}: {result.Status}.");
        }
        solver.State.CopyTo(next);
    }
}
