using Doppel.Simulation.Continuous;

namespace Doppel.Packs.Health.Drugs;

/// <summary>Which of the kernel's solvers integrates the compartments.</summary>
public enum PkSolver
{
    /// <summary>Dormand–Prince 5(4), explicit.</summary>
    DormandPrince54,

    /// <summary>Rodas4, a stiffly accurate Rosenbrock method.</summary>
    Rodas4,
}

/// <summary>
/// The same linear compartment model as <see cref="CompartmentModel"/>, as differential equations solved numerically by
/// the kernel's solvers: amounts in the central and peripheral compartments and the oral depot, plus the running AUC
/// of the central concentration. Doses are events: the solver stops at each dose time and infusion end, the state jumps
/// (a bolus, a dose into the depot) or the infusion rate changes, and integration restarts from there.
/// </summary>
public sealed class PkOde
{
    private const int Central = 0;
    private const int Peripheral2 = 1;
    private const int Peripheral3 = 2;
    private const int Depot = 3;
    private const int Area = 4;
    private const int Size = 5;

    private readonly PkParameters _p;
    private double _rate;

    public PkOde(PkParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Problem() is { } problem)
        {
            throw new ArgumentException($"The PK parameters do not make a model: {problem}.", nameof(parameters));
        }
        _p = parameters;
    }

    /// <summary>Tolerances tight enough that the solution agrees with the closed form to 1e-9 relative.</summary>
    public static OdeOptions TightOptions { get; } = new() { RelativeTolerance = 1e-13, AbsoluteTolerance = 1e-15, MaxSteps = 1_000_000 };

    /// <summary>The central concentration (mg/L) and the AUC from 0 (mg·h/L) at each of <paramref name="times"/> (sorted, ≥ 0).</summary>
    public (double[] Concentration, double[] Auc) Solve(IReadOnlyList<Dose> doses, IReadOnlyList<double> times, PkSolver solver = PkSolver.DormandPrince54, OdeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(doses);
        ArgumentNullException.ThrowIfNull(times);
        for (var i = 0; i < times.Count; i++)
        {
            if (!(double.IsFinite(times[i]) && times[i] >= 0) || (i > 0 && times[i] < times[i - 1]))
            {
                throw new ArgumentException($"Output times must be finite, 0 or later and sorted; time {i} is {times[i]}.", nameof(times));
            }
        }
        // Events: when doses start (after the lag for oral doses) and when infusions end.
        var events = new SortedSet<double> { 0 };
        foreach (var dose in doses)
        {
            var start = Start(dose);
            events.Add(start);
            if (dose.Route == DoseRoute.Infusion)
            {
                events.Add(start + dose.Duration);
            }
        }
        var problem = new OdeProblem(Derivatives, 0, new double[Size]);
        OdeSolver ode = solver == PkSolver.Rodas4
            ? new Rodas4Solver(problem with { Jacobian = Jacobian }, options ?? TightOptions)
            : new DormandPrince54Solver(problem, options ?? TightOptions);
        var concentration = new double[times.Count];
        var auc = new double[times.Count];
        var state = new double[Size];
        var next = 0;
        foreach (var eventTime in events.Append(double.PositiveInfinity))
        {
            // Outputs up to the event (a level at a dose time is the trough before it), then the event's jumps.
            while (next < times.Count && times[next] <= eventTime)
            {
                Advance(ode, times[next]);
                concentration[next] = ode.State[Central] / _p.V1;
                auc[next] = ode.State[Area];
                next++;
            }
            if (double.IsPositiveInfinity(eventTime))
            {
                break;
            }
            Advance(ode, eventTime);
            ode.State.CopyTo(state);
            _rate = 0;
            foreach (var dose in doses)
            {
                var start = Start(dose);
                switch (dose.Route)
                {
                    case DoseRoute.Bolus when start == eventTime:
                        state[Central] += dose.Amount;
                        break;
                    case DoseRoute.Oral when start == eventTime:
                        state[Depot] += _p.F * dose.Amount;
                        break;
                    case DoseRoute.Infusion when start <= eventTime && eventTime < start + dose.Duration:
                        _rate += dose.Rate;
                        break;
                }
            }
            ode.SetState(eventTime, state);
        }
        return (concentration, auc);
    }

    private double Start(Dose dose) => dose.Route == DoseRoute.Oral ? dose.Time + _p.Lag : dose.Time;

    private static void Advance(OdeSolver ode, double t)
    {
        if (t <= ode.Time)
        {
            return;
        }
        var result = ode.IntegrateTo(t);
        if (result.Status != OdeStatus.ReachedEnd)
        {
            throw new InvalidOperationException($"The ODE solver stopped at t = {result.Time} h ({result.Status}) before {t} h.");
        }
    }

    private void Derivatives(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        var p = _p;
        var absorbed = p.Ka * y[Depot];
        dy[Central] = _rate + absorbed - ((p.K10 + p.K12 + p.K13) * y[Central]) + (p.K21 * y[Peripheral2]) + (p.K31 * y[Peripheral3]);
        dy[Peripheral2] = (p.K12 * y[Central]) - (p.K21 * y[Peripheral2]);
        dy[Peripheral3] = (p.K13 * y[Central]) - (p.K31 * y[Peripheral3]);
        dy[Depot] = -absorbed;
        dy[Area] = y[Central] / p.V1;
    }

    private void Jacobian(double t, ReadOnlySpan<double> y, Span<double> jacobian)
    {
        var p = _p;
        jacobian.Clear();
        jacobian[(Central * Size) + Central] = -(p.K10 + p.K12 + p.K13);
        jacobian[(Central * Size) + Peripheral2] = p.K21;
        jacobian[(Central * Size) + Peripheral3] = p.K31;
        jacobian[(Central * Size) + Depot] = p.Ka;
        jacobian[(Peripheral2 * Size) + Central] = p.K12;
        jacobian[(Peripheral2 * Size) + Peripheral2] = -p.K21;
        jacobian[(Peripheral3 * Size) + Central] = p.K13;
        jacobian[(Peripheral3 * Size) + Peripheral3] = -p.K31;
        jacobian[(Depot * Size) + Depot] = -p.Ka;
        jacobian[(Area * Size) + Central] = 1 / p.V1;
    }
}
