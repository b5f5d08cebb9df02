using Doppel.Simulation.Continuous;
using Xunit.Abstractions;

namespace Doppel.Tests.Simulation.Continuous;

/// <summary>Dense output between steps against the closed form.</summary>
public sealed class DenseOutputTests(ITestOutputHelper output)
{
    /// <summary>Steps to the end, sampling every step at interior points, and returns the worst relative error.</summary>
    private static double WorstInteriorError(OdeSolver solver, double end, Func<double, double[]> exact)
    {
        var worst = 0.0;
        var y = new double[solver.Dimension];
        while (solver.Time < end)
        {
            // One step at a time: an end just past the current time would shorten the step, so ask for the end and
            // sample the last step afterwards; MaxSteps = 1 keeps it to one step per call.
            var result = solver.IntegrateTo(end);
            Assert.True(result.Succeeded || result.Status == OdeStatus.TooManySteps, result.Status.ToString());
            if (solver.PreviousTime == solver.Time)
            {
                continue;
            }
            foreach (var theta in (ReadOnlySpan<double>)[0.1, 0.25, 0.5, 0.75, 0.9])
            {
                var t = solver.PreviousTime + (theta * (solver.Time - solver.PreviousTime));
                solver.Interpolate(t, y);
                var expected = exact(t);
                worst = Math.Max(worst, Problems.RelativeError(y, expected));
            }
        }
        return worst;
    }

    [Fact]
    public void Dormand_Prince_dense_output_matches_the_oscillator_between_steps()
    {
        var options = new OdeOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12, MaxSteps = 1 };
        var solver = new DormandPrince54Solver(Problems.Oscillator(), options);

        var worst = WorstInteriorError(solver, 3 * 2 * Math.PI / Problems.Omega, Problems.OscillatorAt);

        output.WriteLine($"DOPRI5 dense output: worst relative error {worst:E2} over {solver.Statistics.AcceptedSteps} steps");
        Assert.True(worst <= 1e-9, $"worst {worst:E2}");
    }

    [Fact]
    public void Rodas4_dense_output_matches_the_linear_system_between_steps()
    {
        var options = new OdeOptions { RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10, MaxSteps = 1 };
        var solver = new Rodas4Solver(Problems.Linear(), options);

        var worst = WorstInteriorError(solver, 5, Problems.LinearAt);

        output.WriteLine($"RODAS4 dense output: worst relative error {worst:E2} over {solver.Statistics.AcceptedSteps} steps");
        Assert.True(worst <= 1e-6, $"worst {worst:E2}");
    }

    [Fact]
    public void Rk4_dense_output_is_third_order_hermite_between_steps()
    {
        var solver = new Rk4Solver(Problems.Decay(), 0.05, new OdeOptions { MaxSteps = 1 });

        var worst = WorstInteriorError(solver, 5, Problems.DecayAt);

        output.WriteLine($"RK4 dense output: worst relative error {worst:E2}");
        Assert.True(worst <= 1e-6, $"worst {worst:E2}");
    }

    [Fact]
    public void Interpolating_outside_the_last_step_is_refused()
    {
        var solver = new DormandPrince54Solver(Problems.Decay());
        solver.IntegrateTo(1);

        Assert.Throws<ArgumentOutOfRangeException>(() => solver.Interpolate(solver.PreviousTime - 1e-3, new double[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => solver.Interpolate(1.5, new double[1]));
    }
}
