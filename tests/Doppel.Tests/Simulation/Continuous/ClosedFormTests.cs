using Doppel.Simulation.Continuous;
using Xunit.Abstractions;

namespace Doppel.Tests.Simulation.Continuous;

/// <summary>Solvers against closed-form solutions of smooth problems.</summary>
public sealed class ClosedFormTests(ITestOutputHelper output)
{
    private static readonly OdeOptions Tight = new() { RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-14 };

    public static TheoryData<string> SmoothProblems => ["decay", "oscillator", "linear", "logistic"];

    private static (OdeProblem Problem, Func<double, double[]> Exact, double End) Smooth(string name) => name switch
    {
        "decay" => (Problems.Decay(), Problems.DecayAt, 10.0),
        // Ten periods of the oscillator.
        "oscillator" => (Problems.Oscillator(), Problems.OscillatorAt, 10 * 2 * Math.PI / Problems.Omega),
        "linear" => (Problems.Linear(), Problems.LinearAt, 8.0),
        "logistic" => (Problems.Logistic(), Problems.LogisticAt, 6.0),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(SmoothProblems))]
    public void Dormand_Prince_at_tight_tolerance_matches_the_closed_form_to_1e9(string name)
    {
        var (problem, exact, end) = Smooth(name);
        var solver = new DormandPrince54Solver(problem, Tight);

        var error = Problems.RelativeError(Problems.Solve(solver, end), exact(end));

        output.WriteLine($"DOPRI5 {name}: relative error {error:E2}, {solver.Statistics}");
        Assert.True(error <= 1e-9, $"relative error {error:E2}");
    }

    [Theory]
    [MemberData(nameof(SmoothProblems))]
    public void Rodas4_at_tight_tolerance_matches_the_closed_form_to_1e9(string name)
    {
        var (problem, exact, end) = Smooth(name);
        var solver = new Rodas4Solver(problem, Tight);

        var error = Problems.RelativeError(Problems.Solve(solver, end), exact(end));

        output.WriteLine($"RODAS4 {name}: relative error {error:E2}, {solver.Statistics}");
        Assert.True(error <= 1e-9, $"relative error {error:E2}");
    }

    [Theory]
    [MemberData(nameof(SmoothProblems))]
    public void Rk4_error_falls_sixteenfold_when_the_step_halves(string name)
    {
        var (problem, exact, end) = Smooth(name);
        var expected = exact(end);
        // Ten oscillator periods need more steps before the error is in the asymptotic regime.
        var steps = name == "oscillator" ? 400 : 50;
        var errors = new double[3];
        for (var k = 0; k < errors.Length; k++)
        {
            var solver = new Rk4Solver(problem, end / (steps << k));
            errors[k] = Problems.RelativeError(Problems.Solve(solver, end), expected);
        }

        output.WriteLine($"RK4 {name}: errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
        for (var k = 1; k < errors.Length; k++)
        {
            var ratio = errors[k - 1] / errors[k];
            Assert.InRange(ratio, 14, 18.5);
        }
    }

    [Fact]
    public void Rodas4_error_falls_about_sixteenfold_when_a_fixed_step_halves()
    {
        // Fixed steps (huge tolerance, initial step = maximum step) expose the method's order, not the controller's.
        var end = 4.0;
        var errors = new double[3];
        for (var k = 0; k < errors.Length; k++)
        {
            var h = end / (20 << k);
            var options = new OdeOptions { RelativeTolerance = 1e6, AbsoluteTolerance = 1e6, InitialStep = h, MaxStep = h };
            errors[k] = Problems.RelativeError(Problems.Solve(new Rodas4Solver(Problems.Linear(), options), end), Problems.LinearAt(end));
        }

        output.WriteLine($"RODAS4 fixed steps: errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
        Assert.InRange(errors[1] / errors[2], 12, 20);
    }

    [Fact]
    public void Looser_tolerance_gives_a_proportionally_larger_error()
    {
        var end = Smooth("oscillator").End;
        var loose = new DormandPrince54Solver(Problems.Oscillator(), new OdeOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-8 });
        var tight = new DormandPrince54Solver(Problems.Oscillator(), Tight);

        var looseError = Problems.RelativeError(Problems.Solve(loose, end), Problems.OscillatorAt(end));
        var tightError = Problems.RelativeError(Problems.Solve(tight, end), Problems.OscillatorAt(end));

        Assert.True(looseError < 1e-4 && looseError > tightError * 100, $"{looseError:E2} vs {tightError:E2}");
        Assert.True(loose.Statistics.AcceptedSteps < tight.Statistics.AcceptedSteps / 5);
    }
}
