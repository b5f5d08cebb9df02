using Doppel.Simulation.Continuous;
using Xunit.Abstractions;

namespace Doppel.Tests.Simulation.Continuous;

/// <summary>The implicit solver on stiff problems with published reference solutions.</summary>
public sealed class StiffTests(ITestOutputHelper output)
{
    [Fact]
    public void Robertson_at_40_matches_the_published_values_and_conserves_mass()
    {
        var solver = new Rodas4Solver(Problems.Robertson(), new OdeOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-16 });

        var y = Problems.Solve(solver, 40);

        output.WriteLine($"RODAS4 Robertson(40): {string.Join(", ", y.Select(v => v.ToString("R")))}; {solver.Statistics}");
        for (var i = 0; i < 3; i++)
        {
            // The published values carry ten significant digits.
            Assert.True(Math.Abs(y[i] - Problems.RobertsonAt40[i]) <= 1e-9 * Problems.RobertsonAt40[i], $"y{i + 1} = {y[i]:R}");
        }
        Assert.Equal(1, y.Sum(), 1e-13);
    }

    [Fact]
    public void Dormand_Prince_agrees_on_Robertson_at_40_but_needs_far_more_steps()
    {
        var options = new OdeOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-12, MaxSteps = 1_000_000 };
        var explicitSolver = new DormandPrince54Solver(Problems.Robertson(), options);
        var implicitSolver = new Rodas4Solver(Problems.Robertson(), options);

        var explicitY = Problems.Solve(explicitSolver, 40);
        var implicitY = Problems.Solve(implicitSolver, 40);

        var ratio = (double)explicitSolver.Statistics.AcceptedSteps / implicitSolver.Statistics.AcceptedSteps;
        output.WriteLine($"DOPRI5 {explicitSolver.Statistics}; RODAS4 {implicitSolver.Statistics}; step ratio {ratio:F0}");
        Assert.True(ratio > 100, $"ratio {ratio:F0}");
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs(explicitY[i] - Problems.RobertsonAt40[i]) <= 1e-5 * Problems.RobertsonAt40[i], $"DOPRI5 y{i + 1}");
            Assert.True(Math.Abs(implicitY[i] - Problems.RobertsonAt40[i]) <= 1e-5 * Problems.RobertsonAt40[i], $"RODAS4 y{i + 1}");
        }
    }

    [Fact]
    public void Robertson_to_1e11_matches_the_test_set_reference()
    {
        // Through 1e5 on the way, where the solution must still conserve mass.
        var solver = new Rodas4Solver(Problems.Robertson(), new OdeOptions { RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-20 });

        var at1e5 = Problems.Solve(solver, 1e5);
        var steps1e5 = solver.Statistics.AcceptedSteps;
        var y = Problems.Solve(solver, 1e11);

        output.WriteLine($"RODAS4 Robertson(1e5): {string.Join(", ", at1e5.Select(v => v.ToString("R")))} after {steps1e5} steps");
        output.WriteLine($"RODAS4 Robertson(1e11): {string.Join(", ", y.Select(v => v.ToString("R")))}; {solver.Statistics}");
        Assert.Equal(1, at1e5.Sum(), 1e-12);
        Assert.Equal(1, y.Sum(), 1e-12);
        for (var i = 0; i < 3; i++)
        {
            var error = Math.Abs(y[i] - Problems.RobertsonAt1e11[i]) / Problems.RobertsonAt1e11[i];
            output.WriteLine($"y{i + 1}(1e11) relative error {error:E2}");
            Assert.True(error <= 1e-6, $"y{i + 1} relative error {error:E2}");
        }
        // Ten decades of time in a few thousand steps: the step size grows with the solution's time scale.
        Assert.True(solver.Statistics.AcceptedSteps < 10_000, $"{solver.Statistics.AcceptedSteps} steps");
    }

    [Fact]
    public void Stiff_van_der_Pol_with_mu_1000_matches_the_test_set_in_a_modest_number_of_steps()
    {
        // No Jacobian given: the solver differentiates numerically.
        var solver = new Rodas4Solver(Problems.VanDerPol(), new OdeOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-6 });

        var y = Problems.Solve(solver, 2);

        var error = Problems.RelativeError(y, Problems.VanDerPolAt2);
        output.WriteLine($"RODAS4 van der Pol(2): {y[0]:R}, {y[1]:R}; relative error {error:E2}; {solver.Statistics}");
        Assert.True(error <= 1e-5, $"relative error {error:E2}");
        Assert.True(solver.Statistics.AcceptedSteps < 2_000, $"{solver.Statistics.AcceptedSteps} steps");
    }
}
