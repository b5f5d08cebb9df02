using Doppel.Simulation;

namespace Doppel.Tests.Simulation;

/// <summary>Time-stepped agents: synchronous updates, independence from stepping order, and a shared clock with discrete events.</summary>
public sealed class TimeStepperTests
{
    // An agent on a ring that moves to the average of itself and its two neighbours: with synchronous updates the total
    // is conserved exactly (each value is counted three times with weight 1/3); updated one by one, it is not.
    private sealed class Averager(double[] values, int index) : IAgent
    {
        private double _next;

        public void Decide(double now, double dt)
        {
            var n = values.Length;
            _next = (values[(index + n - 1) % n] + values[index] + values[(index + 1) % n]) / 3;
        }

        public void Apply(double now, double dt) => values[index] = _next;
    }

    [Fact]
    public void Agents_decide_from_the_same_state_so_order_does_not_matter_and_the_total_is_kept()
    {
        static double[] Run(bool reversed)
        {
            var sim = new Doppel.Simulation.Simulation(seed: 1);
            var values = Enumerable.Range(0, 50).Select(i => (double)(i * i % 17)).ToArray();
            var stepper = new TimeStepper(sim, step: 0.5);
            var order = Enumerable.Range(0, values.Length);
            foreach (var i in reversed ? order.Reverse() : order)
            {
                stepper.Add(new Averager(values, i));
            }
            stepper.Start(until: 1000);
            sim.Run();
            return values;
        }

        var forward = Run(reversed: false);
        var backward = Run(reversed: true);

        Assert.Equal(forward, backward);
        Assert.Equal(Enumerable.Range(0, 50).Sum(i => (double)(i * i % 17)), forward.Sum(), 9);
        Assert.True(forward.Max() - forward.Min() < 1e-2, "the ring has nearly reached consensus");
    }

    [Fact]
    public void Steps_fall_on_multiples_of_the_step_between_discrete_events_on_one_clock()
    {
        var sim = new Doppel.Simulation.Simulation(seed: 1);
        var log = new List<string>();
        var stepper = new TimeStepper(sim, step: 0.1);
        stepper.Add(new Recorder(log));
        stepper.Start(until: 0.35);
        IEnumerable<Event> Incident()
        {
            yield return sim.Timeout(0.25);
            log.Add($"incident {sim.Now:0.##}");
        }
        sim.Process(Incident());

        sim.Run();

        Assert.Equal(["step 0", "step 0.1", "step 0.2", "incident 0.25", "step 0.3"], log);
        Assert.Equal(4, stepper.Steps);
    }

    private sealed class Recorder(List<string> log) : IAgent
    {
        public void Decide(double now, double dt)
        {
        }

        public void Apply(double now, double dt) => log.Add($"step {now:0.##}");
    }
}
