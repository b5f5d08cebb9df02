using BenchmarkDotNet.Attributes;
using Doppel.Simulation.Continuous;

namespace Doppel.Benchmarks.Simulation;

/// <summary>
/// The continuous-time solvers: DOPRI5 on a harmonic oscillator over 1000 periods and RODAS4 on Robertson's stiff
/// kinetics to t = 1e5. Allocated bytes are per whole integration (solver construction included), so dividing by the
/// step count shows the step loop allocates nothing. Run:
/// <c>dotnet run -c Release --project benchmarks/Doppel.Benchmarks -- --filter *Ode* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class OdeBenchmarks
{
    private const double Omega = 2 * Math.PI;

    private static readonly OdeProblem Oscillator = new(
        static (_, y, dy) =>
        {
            dy[0] = y[1];
            dy[1] = -Omega * Omega * y[0];
        },
        0,
        [1.0, 0.0]);

    private static readonly OdeProblem Robertson = new(
        static (_, y, dy) =>
        {
            dy[0] = (-0.04 * y[0]) + (1e4 * y[1] * y[2]);
            dy[2] = 3e7 * y[1] * y[1];
            dy[1] = -dy[0] - dy[2];
        },
        0,
        [1.0, 0.0, 0.0])
    {
        Jacobian = static (_, y, j) =>
        {
            j[0] = -0.04; j[1] = 1e4 * y[2]; j[2] = 1e4 * y[1];
            j[3] = 0.04; j[4] = (-1e4 * y[2]) - (6e7 * y[1]); j[5] = -1e4 * y[1];
            j[6] = 0; j[7] = 6e7 * y[1]; j[8] = 0;
        },
    };

    private static readonly OdeOptions OscillatorOptions = new() { RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10 };
    private static readonly OdeOptions RobertsonOptions = new() { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-12 };

    /// <summary>Accepted steps of the last run, printed at cleanup so that bytes per step can be read off.</summary>
    private long _steps;

    [Benchmark]
    public double DormandPrinceOscillator1000Periods()
    {
        var solver = new DormandPrince54Solver(Oscillator, OscillatorOptions with { MaxSteps = 10_000_000 });
        solver.IntegrateTo(1000);
        _steps = solver.Statistics.AcceptedSteps;
        return solver.State[0];
    }

    [Benchmark]
    public double Rodas4RobertsonTo1e5()
    {
        var solver = new Rodas4Solver(Robertson, RobertsonOptions);
        solver.IntegrateTo(1e5);
        _steps = solver.Statistics.AcceptedSteps;
        return solver.State[0];
    }

    [GlobalCleanup]
    public void Report() => Console.WriteLine($"// accepted steps of the last run: {_steps}");
}
