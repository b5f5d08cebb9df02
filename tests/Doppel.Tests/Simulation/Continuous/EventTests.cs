using Doppel.Simulation.Continuous;
using Xunit.Abstractions;

namespace Doppel.Tests.Simulation.Continuous;

/// <summary>Zero-crossing events located on the dense output, and a hybrid model driven through them.</summary>
public sealed class EventTests(ITestOutputHelper output)
{
    private const double Gravity = 9.81, DropHeight = 10, Restitution = 0.8;

    /// <summary>Free fall, y = (height, velocity), with the floor as a terminal event.</summary>
    private static OdeProblem Ball(EventDirection direction) => new(
        (_, y, dy) =>
        {
            dy[0] = y[1];
            dy[1] = -Gravity;
        },
        0,
        [DropHeight, 0.0])
    {
        Events = [new ZeroCrossing((_, y) => y[0], direction, Terminal: true)],
    };

    [Theory]
    [InlineData(EventDirection.Falling)]
    [InlineData(EventDirection.Both)]
    public void A_bouncing_ball_hits_the_floor_at_the_closed_form_times(EventDirection direction)
    {
        // Given a ball dropped from 10 m that keeps 80 % of its speed at each bounce
        var solver = new DormandPrince54Solver(Ball(direction), new OdeOptions { MaxStep = 0.5 });
        var first = Math.Sqrt(2 * DropHeight / Gravity);
        double[] expected = [first, first + (2 * Restitution * first), first + (2 * Restitution * first) + (2 * Restitution * Restitution * first)];
        var impacts = new List<double>();

        // When the model reverses the velocity at each terminal event and restarts
        while (impacts.Count < expected.Length)
        {
            var result = solver.IntegrateTo(100);
            Assert.Equal(OdeStatus.TerminalEvent, result.Status);
            var hit = Assert.Single(solver.EventsFound);
            Assert.Equal(result.Time, hit.Time);
            impacts.Add(result.Time);
            double[] state = [.. solver.State];
            state[1] = -Restitution * state[1];
            solver.SetState(result.Time, state);
        }

        // Then the impacts come at √(2h/g), then 2e and 2e² first-impact times later
        for (var i = 0; i < expected.Length; i++)
        {
            output.WriteLine($"impact {i + 1}: {impacts[i]:R}, closed form {expected[i]:R}, error {impacts[i] - expected[i]:E2}");
            Assert.Equal(expected[i], impacts[i], 1e-10);
        }
    }

    [Fact]
    public void Direction_filters_crossings_and_non_terminal_events_do_not_stop()
    {
        // Given cos ωt watched by a falling-only and a rising-only event over two periods
        var problem = Problems.Oscillator() with
        {
            Events =
            [
                new ZeroCrossing((_, y) => y[0], EventDirection.Falling),
                new ZeroCrossing((_, y) => y[0], EventDirection.Rising),
            ],
        };
        var solver = new DormandPrince54Solver(problem, new OdeOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 });
        var end = 2 * 2 * Math.PI / Problems.Omega;

        var result = solver.IntegrateTo(end);

        // Then it reaches the end and reports zeros of cos at (2k+1)π/2ω, falling ones to event 0, rising to event 1
        Assert.Equal(OdeStatus.ReachedEnd, result.Status);
        Assert.Equal([0, 1, 0, 1], solver.EventsFound.Select(e => e.Index));
        for (var k = 0; k < 4; k++)
        {
            var hit = solver.EventsFound[k];
            Assert.Equal((2 * k + 1) * Math.PI / (2 * Problems.Omega), hit.Time, 1e-9);
            Assert.Equal(0, hit.State[0], 1e-9);
            Assert.False(hit.Terminal);
        }
    }

    [Fact]
    public void A_terminal_event_stops_integration_at_the_crossing_and_integration_resumes_past_it()
    {
        // Given e^(−kt) with a terminal event where it halves
        var problem = Problems.Decay() with { Events = [new ZeroCrossing((_, y) => y[0] - 0.5, Terminal: true)] };
        var solver = new DormandPrince54Solver(problem, new OdeOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 });

        var stopped = solver.IntegrateTo(10);

        // Then it stops at ln 2 / k with the state there
        Assert.Equal(OdeStatus.TerminalEvent, stopped.Status);
        Assert.Equal(Math.Log(2) / Problems.DecayRate, stopped.Time, 1e-10);
        Assert.Equal(0.5, solver.State[0], 1e-10);

        // And continuing without a state change does not report the same crossing again
        var resumed = solver.IntegrateTo(10);
        Assert.Equal(OdeStatus.ReachedEnd, resumed.Status);
        Assert.Empty(solver.EventsFound);
        Assert.Equal(Problems.DecayAt(10)[0], solver.State[0], 1e-9);
    }

    [Fact]
    public void The_stiff_solver_locates_events_on_its_dense_output()
    {
        var problem = Problems.Linear() with { Events = [new ZeroCrossing((_, y) => y[1], EventDirection.Rising, Terminal: true)] };
        var solver = new Rodas4Solver(problem, new OdeOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 });

        var result = solver.IntegrateTo(10);

        Assert.Equal(OdeStatus.TerminalEvent, result.Status);
        // The closed form's second component at the reported time is zero and was negative just before.
        Assert.Equal(0, Problems.LinearAt(result.Time)[1], 1e-8);
        Assert.True(Problems.LinearAt(result.Time - 1e-3)[1] < 0);
        output.WriteLine($"RODAS4 event at {result.Time:R}");
    }
}
