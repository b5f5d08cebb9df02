using Doppel.Simulation.Continuous;

namespace Doppel.Tests.Simulation.Continuous;

/// <summary>The same problem and options give bit-identical results.</summary>
public sealed class DeterminismTests
{
    private static long[] Bits(OdeSolver solver, double end)
    {
        var result = solver.IntegrateTo(end);
        return [.. solver.State.ToArray().Select(BitConverter.DoubleToInt64Bits), BitConverter.DoubleToInt64Bits(result.Time),
            solver.Statistics.AcceptedSteps, solver.Statistics.RejectedSteps, solver.Statistics.FunctionEvaluations];
    }

    [Fact]
    public void Each_solver_repeats_its_results_bit_for_bit()
    {
        Assert.Equal(Bits(new DormandPrince54Solver(Problems.Logistic()), 6), Bits(new DormandPrince54Solver(Problems.Logistic()), 6));
        Assert.Equal(Bits(new Rk4Solver(Problems.Oscillator(), 0.01), 5), Bits(new Rk4Solver(Problems.Oscillator(), 0.01), 5));
        Assert.Equal(Bits(new Rodas4Solver(Problems.Robertson()), 1e5), Bits(new Rodas4Solver(Problems.Robertson()), 1e5));
        Assert.Equal(Bits(new Rodas4Solver(Problems.VanDerPol()), 2), Bits(new Rodas4Solver(Problems.VanDerPol()), 2));
    }
}
