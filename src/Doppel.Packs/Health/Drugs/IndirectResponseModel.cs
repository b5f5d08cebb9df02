using Doppel.Simulation.Continuous;

namespace Doppel.Packs.Health.Drugs;

/// <summary>The four indirect-response models of Dayneka, Garg and Jusko (1993).</summary>
public enum IndirectResponseType
{
    /// <summary>Type I: the drug inhibits the production kin.</summary>
    InhibitProduction = 1,

    /// <summary>Type II: the drug inhibits the loss kout.</summary>
    InhibitLoss = 2,

    /// <summary>Type III: the drug stimulates the production kin.</summary>
    StimulateProduction = 3,

    /// <summary>Type IV: the drug stimulates the loss kout.</summary>
    StimulateLoss = 4,
}

/// <summary>
/// An indirect response: dR/dt = kin·(1 ± D(C)) − kout·(1 ± D(C))·R with the drug acting on production (types I, III) or
/// loss (II, IV), where D(C) = Imax·Cᵞ/(IC50ᵞ + Cᵞ) for inhibition (Imax ≤ 1) and Smax·Cᵞ/(SC50ᵞ + Cᵞ) for stimulation.
/// The response starts at its baseline R0 = kin/kout and is integrated by the kernel's solver along the concentration
/// curve a PK model gives.
/// </summary>
public sealed record IndirectResponseModel(IndirectResponseType Type, double Kin, double Kout, double Max, double C50, double Hill = 1)
{
    /// <summary>The baseline kin/kout.</summary>
    public double Baseline => Kin / Kout;

    public string? Problem()
    {
        if (!Enum.IsDefined(Type))
        {
            return $"the indirect-response type is 1 to 4, not {(int)Type}";
        }
        if (!(double.IsFinite(Kin) && Kin > 0 && double.IsFinite(Kout) && Kout > 0))
        {
            return $"kin and kout must be positive rates, got kin = {Kin}, kout = {Kout}";
        }
        if (!(double.IsFinite(Max) && Max > 0) || (Type is IndirectResponseType.InhibitProduction or IndirectResponseType.InhibitLoss && Max > 1))
        {
            return $"Imax must be in (0, 1] and Smax positive, got {Max}";
        }
        if (!(double.IsFinite(C50) && C50 > 0) || !(double.IsFinite(Hill) && Hill > 0))
        {
            return $"the potency (C50 = {C50}) and the Hill coefficient (γ = {Hill}) must be positive";
        }
        return null;
    }

    /// <summary>dR/dt at response R under concentration C.</summary>
    public double Rate(double c, double r)
    {
        var drug = Max * EmaxModel.Fraction(c, C50, Hill);
        return Type switch
        {
            IndirectResponseType.InhibitProduction => (Kin * (1 - drug)) - (Kout * r),
            IndirectResponseType.InhibitLoss => Kin - (Kout * (1 - drug) * r),
            IndirectResponseType.StimulateProduction => (Kin * (1 + drug)) - (Kout * r),
            _ => Kin - (Kout * (1 + drug) * r),
        };
    }

    /// <summary>The response that a constant concentration C holds at steady state.</summary>
    public double SteadyState(double c)
    {
        var drug = Max * EmaxModel.Fraction(c, C50, Hill);
        return Type switch
        {
            IndirectResponseType.InhibitProduction => Baseline * (1 - drug),
            IndirectResponseType.InhibitLoss => Baseline / (1 - drug),
            IndirectResponseType.StimulateProduction => Baseline * (1 + drug),
            _ => Baseline / (1 + drug),
        };
    }

    /// <summary>
    /// The response at each of <paramref name="times"/> (sorted, h) from the baseline at 0, under the concentration
    /// <paramref name="concentration"/>(t); <paramref name="breaks"/> are times where it jumps or kinks (dose times,
    /// infusion ends), where the solver restarts.
    /// </summary>
    public double[] Simulate(Func<double, double> concentration, IReadOnlyList<double> times, IEnumerable<double>? breaks = null, OdeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(concentration);
        ArgumentNullException.ThrowIfNull(times);
        if (Problem() is { } problem)
        {
            throw new InvalidOperationException($"The indirect-response model cannot run: {problem}.");
        }
        var ode = new DormandPrince54Solver(new OdeProblem((t, y, dy) => dy[0] = Rate(concentration(t), y[0]), 0, [Baseline]), options ?? PkOde.TightOptions);
        var stops = new SortedSet<double>(breaks ?? []);
        var result = new double[times.Count];
        Span<double> state = stackalloc double[1];
        for (var i = 0; i < times.Count; i++)
        {
            foreach (var stop in stops.GetViewBetween(ode.Time, times[i]))
            {
                if (stop > ode.Time && stop < times[i])
                {
                    Integrate(ode, stop);
                    state[0] = ode.State[0];
                    ode.SetState(stop, state);
                }
            }
            Integrate(ode, times[i]);
            result[i] = ode.State[0];
        }
        return result;
    }

    private static void Integrate(OdeSolver ode, double t)
    {
        if (t > ode.Time && ode.IntegrateTo(t) is { Status: not OdeStatus.ReachedEnd } result)
        {
            throw new InvalidOperationException($"The ODE solver stopped at t = {result.Time} h ({result.Status}) before {t} h.");
        }
    }
}
