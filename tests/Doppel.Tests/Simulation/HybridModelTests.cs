using Doppel.Simulation;
using Doppel.Simulation.Continuous;

namespace Doppel.Tests.Simulation;

/// <summary>Continuous state inside the discrete-event engine: crossings wake processes, discrete changes land at their time.</summary>
public sealed class HybridModelTests
{
    private const double G = 9.81, Height = 10, Restitution = 0.8;

    private static (Doppel.Simulation.Simulation Sim, ContinuousState Ball) Ball()
    {
        var sim = new Doppel.Simulation.Simulation(seed: 1);
        // y = (height, velocity); the floor is a terminal crossing of the height, falling.
        var problem = new OdeProblem((t, y, dy) => { dy[0] = y[1]; dy[1] = -G; }, 0, [Height, 0])
        {
            Events = [new ZeroCrossing((t, y) => y[0], EventDirection.Falling, Terminal: true)],
        };
        var solver = new DormandPrince54Solver(problem, new OdeOptions { RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-12 });
        return (sim, new ContinuousState(sim, solver, lookahead: 0.25));
    }

    [Fact]
    public void A_bouncing_ball_process_hears_each_impact_at_the_closed_form_time()
    {
        var (sim, ball) = Ball();
        var impacts = new List<double>();
        IEnumerable<Event> Floor()
        {
            for (var i = 0; i < 4; i++)
            {
                yield return ball.Crossed(0);
                impacts.Add(sim.Now);
                ball.Set(1, -Restitution * ball.Current[1]); // the bounce: a discrete change of the continuous state
            }
        }
        sim.Process(Floor());

        sim.Run(until: 8);

        // t1 = √(2h/g); each later flight lasts 2·e^k·v1/g with v1 = √(2gh).
        var v1 = Math.Sqrt(2 * G * Height);
        var expected = new List<double> { Math.Sqrt(2 * Height / G) };
        for (var k = 1; k < 4; k++)
        {
            expected.Add(expected[^1] + (2 * Math.Pow(Restitution, k) * v1 / G));
        }
        Assert.Equal(expected.Count, impacts.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], impacts[i], 1e-8);
        }
    }

    [Fact]
    public void Reading_and_changing_the_state_between_steps_happens_exactly_at_the_event_time()
    {
        var (sim, ball) = Ball();
        var seen = new List<(double T, double H, double V)>();
        IEnumerable<Event> Observer()
        {
            yield return sim.Timeout(0.37);
            seen.Add((sim.Now, ball.Current[0], ball.Current[1]));
            ball.Set(1, 0); // caught in mid-air and let go again
            yield return sim.Timeout(0.5);
            seen.Add((sim.Now, ball.Current[0], ball.Current[1]));
        }
        sim.Process(Observer());

        sim.Run(until: 1);

        var h1 = Height - (G * 0.37 * 0.37 / 2);
        Assert.Equal(h1, seen[0].H, 1e-9);
        Assert.Equal(-G * 0.37, seen[0].V, 1e-9);
        Assert.Equal(h1 - (G * 0.5 * 0.5 / 2), seen[1].H, 1e-9);
        Assert.Equal(-G * 0.5, seen[1].V, 1e-9);
    }
}
