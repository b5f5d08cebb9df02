using Doppel.Packs.Health.Drugs;

namespace Doppel.Tests.Packs.Health.Drugs;

/// <summary>
/// The closed forms against the kernel's ODE solvers (1e-9 relative) for every structure and route with multiple
/// dosing, and against the published anchors (the one-compartment formulas, Goti 2018's typical patient).
/// </summary>
public sealed class CompartmentModelTests
{
    private static readonly PkParameters One = new(1, CL: 4.5, V1: 58.4, Ka: 1.1, F: 0.8, Lag: 0.4);
    private static readonly PkParameters Two = new(2, CL: 4.5, V1: 58.4, Q2: 6.5, V2: 38.4, Ka: 1.1, F: 0.8, Lag: 0.4);
    private static readonly PkParameters Three = new(3, CL: 3.2, V1: 20, Q2: 9, V2: 45, Q3: 0.8, V3: 110, Ka: 0.7, F: 0.6, Lag: 0.25);

    public static TheoryData<int, DoseRoute, PkSolver> Cases()
    {
        var data = new TheoryData<int, DoseRoute, PkSolver>();
        foreach (var compartments in new[] { 1, 2, 3 })
        {
            foreach (var route in Enum.GetValues<DoseRoute>())
            {
                data.Add(compartments, route, PkSolver.DormandPrince54);
            }
            data.Add(compartments, DoseRoute.Infusion, PkSolver.Rodas4);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_closed_form_equals_the_ODE_solution_to_1e_9_relative_over_multiple_doses(int compartments, DoseRoute route, PkSolver solver)
    {
        var parameters = compartments switch { 1 => One, 2 => Two, _ => Three };
        // Five doses every 8 h, then a different one at 50 h: superposition across unequal doses.
        var doses = new DosingRegimen(1000, 8, 5, route, InfusionDuration: 1.5).Doses().Append(new Dose(50, 400, route, route == DoseRoute.Infusion ? 0.5 : 0)).ToList();
        var times = Enumerable.Range(1, 300).Select(i => i * 0.25).ToList();

        var model = new CompartmentModel(parameters);
        var closed = model.Concentrations(doses, times);
        var (ode, auc) = new PkOde(parameters).Solve(doses, times, solver);

        var worst = 0.0;
        var worstAuc = 0.0;
        for (var i = 0; i < times.Count; i++)
        {
            if (closed[i] == 0)
            {
                Assert.Equal(0, ode[i]);
                continue;
            }
            worst = Math.Max(worst, Math.Abs(ode[i] - closed[i]) / closed[i]);
            worstAuc = Math.Max(worstAuc, Math.Abs(auc[i] - model.Auc(doses, 0, times[i])) / model.Auc(doses, 0, times[i]));
        }
        Assert.True(worst <= 1e-9, $"largest relative difference in concentration {worst:E2}");
        Assert.True(worstAuc <= 1e-9, $"largest relative difference in AUC {worstAuc:E2}");
    }

    [Fact]
    public void One_compartment_closed_forms_are_the_textbook_formulas()
    {
        var p = new PkParameters(1, CL: 5, V1: 50, Ka: 1.5, F: 0.7);
        var k = 0.1;
        var model = new CompartmentModel(p);
        foreach (var t in new[] { 0.5, 2, 7, 30 })
        {
            Assert.Equal(1000 / 50.0 * Math.Exp(-k * t), model.Concentration([new Dose(0, 1000, DoseRoute.Bolus)], t), 1e-12);
            var rate = 500.0;
            var expected = t <= 2 ? rate / 5 * (1 - Math.Exp(-k * t)) : rate / 5 * (1 - Math.Exp(-k * 2)) * Math.Exp(-k * (t - 2));
            Assert.Equal(expected, model.Concentration([new Dose(0, 1000, DoseRoute.Infusion, 2)], t), 1e-12);
            Assert.Equal(0.7 * 1000 * 1.5 / (50 * (1.5 - k)) * (Math.Exp(-k * t) - Math.Exp(-1.5 * t)), model.Concentration([new Dose(0, 1000, DoseRoute.Oral)], t), 1e-12);
        }
        // Steady state of repeated boluses: Cmax,ss = (D/V)/(1 − e^(−kτ)), Cmin,ss = Cmax,ss·e^(−kτ).
        var doses = new DosingRegimen(1000, 12, 40, DoseRoute.Bolus).Doses();
        var cmax = 20 / (1 - Math.Exp(-k * 12));
        Assert.Equal(cmax, model.Concentration(doses, (39 * 12) + 1e-12), 1e-9);
        Assert.Equal(cmax * Math.Exp(-k * 12), model.Concentration(doses, 40 * 12), 1e-9);
        Assert.Equal(1000 * 0.7 / 5, model.Auc([new Dose(0, 1000, DoseRoute.Oral)], 0, 2000), 1e-9);
    }

    [Fact]
    public void Oral_absorption_at_the_rate_of_elimination_takes_the_limit()
    {
        var p = new PkParameters(1, CL: 5, V1: 50, Ka: 0.1);
        var model = new CompartmentModel(p);
        var t = 6.0;
        Assert.Equal(1000 * 0.1 / 50 * t * Math.Exp(-0.1 * t), model.Concentration([new Dose(0, 1000, DoseRoute.Oral)], t), 1e-12);
        var (ode, _) = new PkOde(p).Solve([new Dose(0, 1000, DoseRoute.Oral)], [t]);
        Assert.Equal(ode[0], model.Concentration([new Dose(0, 1000, DoseRoute.Oral)], t), 1e-9);
    }

    [Fact]
    public void Goti_2018_typical_patient_matches_the_published_test_vector()
    {
        var typical = Vancomycin.Goti2018.Typical(new Dictionary<string, double> { ["crcl"] = 120, ["weight"] = 70, ["dialysis"] = 0 });
        Assert.Equal(0.07705, typical.K10, 5);
        Assert.Equal(0.11130, typical.K12, 5);
        Assert.Equal(0.16927, typical.K21, 5);
        var model = new CompartmentModel(typical);
        Assert.Equal(0.31640, model.Exponents()[0], 5);
        Assert.Equal(0.04122, model.Exponents()[1], 5);
        Assert.Equal(16.81, model.TerminalHalfLife, 2);
        Assert.Equal(5.064, model.Concentration([new Dose(0, 1000, DoseRoute.Bolus)], 12), 3);
        // 1000 mg q12h: AUC24 at steady state 2000/4.5 = 444.4, in closed form and by summing 60 doses' curves.
        var regimen = new DosingRegimen(1000, 12, 60, DoseRoute.Infusion, 1);
        Assert.Equal(444.4, DoseFinder.SteadyStateAuc24(typical, regimen), 1);
        Assert.Equal(444.4, model.Auc(regimen.Doses(), 58 * 12, 60 * 12), 1);
    }

    [Fact]
    public void Three_compartment_exponents_are_the_eigenvalues_of_the_rate_matrix()
    {
        var p = Three;
        var rates = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(new double[,]
        {
            { -(p.K10 + p.K12 + p.K13), p.K21, p.K31 },
            { p.K12, -p.K21, 0 },
            { p.K13, 0, -p.K31 },
        });
        var eigen = rates.Evd().EigenValues.Select(v => -v.Real).OrderDescending().ToArray();
        var exponents = new CompartmentModel(p).Exponents();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(eigen[i], exponents[i], 1e-12 * eigen[0]);
        }
        // The unit-bolus response starts at 1/V1.
        Assert.Equal(1 / p.V1, new CompartmentModel(p).Coefficients().Sum(), 1e-15);
    }

    [Fact]
    public void Bad_parameters_and_doses_are_refused_with_the_reason()
    {
        Assert.Contains("CL must be a positive", Assert.Throws<ArgumentException>(() => new CompartmentModel(new PkParameters(2, -1, 50, 5, 40))).Message, StringComparison.Ordinal);
        Assert.Contains("1, 2 or 3 compartments", new PkParameters(4, 1, 1).Problem(), StringComparison.Ordinal);
        Assert.Contains("Ka", new PkParameters(1, 1, 1).Problem(oral: true), StringComparison.Ordinal);
        Assert.Contains("amount must be 0 mg or more", new Dose(0, -5, DoseRoute.Bolus).Problem(), StringComparison.Ordinal);
        Assert.Contains("the dose must be more than 0 mg", new DosingRegimen(-1000, 12, 3).Problem(), StringComparison.Ordinal);
        Assert.Contains("infusion must last", new DosingRegimen(1000, 12, 3, DoseRoute.Infusion, 13).Problem(), StringComparison.Ordinal);
    }
}
