namespace Doppel.Simulation;

/// <summary>
/// Steps a population of <see cref="IAgent"/>s every <see cref="Step"/> time units, as a process of the simulation, so
/// agents live beside discrete events (a traffic light's phase change, an incident) on one clock. Agents are stepped in
/// the order they were added; the two phases make the result independent of that order.
/// </summary>
public sealed class TimeStepper
{
    private readonly Simulation _simulation;
    private readonly List<IAgent> _agents = [];
    private Process? _process;

    public TimeStepper(Simulation simulation, double step)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        if (!(step > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "The step must be positive.");
        }
        _simulation = simulation;
        Step = step;
    }

    public double Step { get; }

    public IReadOnlyList<IAgent> Agents => _agents;

    /// <summary>Steps taken so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Adds an agent; it takes part from the next step.</summary>
    public void Add(IAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        _agents.Add(agent);
    }

    /// <summary>Removes an agent (it has left the world); it takes no part from the next step.</summary>
    public bool Remove(IAgent agent) => _agents.Remove(agent);

    /// <summary>Starts stepping now, every <see cref="Step"/>, until <paramref name="until"/> (or for ever).</summary>
    public Process Start(double until = double.PositiveInfinity)
    {
        if (_process is { IsAlive: true })
        {
            throw new InvalidOperationException("The stepper is already running.");
        }
        _process = _simulation.Process(Run(until));
        return _process;
    }

    private IEnumerable<Event> Run(double until)
    {
        // Step times are computed from the start and the count, so they do not drift by accumulated rounding.
        var start = _simulation.Now;
        while (true)
        {
            var agents = _agents.ToArray(); // agents added or removed during a step count from the next one
            var now = _simulation.Now;
            foreach (var agent in agents)
            {
                agent.Decide(now, Step);
            }
            foreach (var agent in agents)
            {
                agent.Apply(now, Step);
            }
            Steps++;
            var next = start + ((Steps) * Step);
            if (next > until)
            {
                yield break;
            }
            yield return _simulation.Timeout(next - _simulation.Now);
        }
    }
}
