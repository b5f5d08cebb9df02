using Doppel.Simulation.Continuous;

namespace Doppel.Simulation;

/// <summary>
/// Continuous state inside a discrete-event model (a hybrid model): an ODE advanced by a solver between events. Processes
/// read it (<see cref="Current"/>) and change it (<see cref="Set(int, double)"/>) at any event, and wait for its
/// terminal zero crossings (<see cref="Crossed"/>): a tank running dry, a ball reaching the floor, a temperature limit.
/// </summary>
/// <remarks>
/// A driver process integrates ahead from the last committed state, up to <c>lookahead</c> or the next terminal crossing,
/// and sleeps until then. Reading or changing the state earlier integrates from the committed state to now, commits it,
/// and restarts the look-ahead from there, so discrete changes land exactly at their time. Only terminal crossings
/// wake processes: a non-terminal one would be found after the fact.
/// </remarks>
public sealed class ContinuousState
{
    private readonly Simulation _simulation;
    private readonly OdeSolver _solver;
    private readonly double _lookahead;
    private readonly double[] _committed;
    private readonly Dictionary<int, List<Event>> _waiting = [];
    private readonly Process _driver;
    private double _committedAt;

    /// <param name="simulation">The simulation whose clock the state follows.</param>
    /// <param name="solver">A solver whose problem starts at the simulation's current time.</param>
    /// <param name="lookahead">How far ahead the driver integrates at most (the solver's own steps are chosen inside).</param>
    public ContinuousState(Simulation simulation, OdeSolver solver, double lookahead)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(solver);
        if (!(lookahead > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(lookahead), lookahead, "The look-ahead must be positive.");
        }
        _simulation = simulation;
        _solver = solver;
        _lookahead = lookahead;
        _committed = solver.State.ToArray();
        _committedAt = solver.Time;
        _driver = simulation.Process(Drive());
    }

    /// <summary>The state now (integrated up to the current time on first read at a new time).</summary>
    public ReadOnlySpan<double> Current
    {
        get
        {
            Sync();
            return _committed;
        }
    }

    /// <summary>Changes one component now (a valve closes, a ball bounces) and integrates on from the new state.</summary>
    public void Set(int index, double value)
    {
        Sync();
        _committed[index] = value;
        Restart();
    }

    /// <summary>Replaces the whole state now.</summary>
    public void Set(ReadOnlySpan<double> state)
    {
        Sync();
        state.CopyTo(_committed);
        Restart();
    }

    /// <summary>An event processed at the next crossing of the solver problem's terminal zero crossing number <paramref name="index"/>.</summary>
    public Event Crossed(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var e = _simulation.Event();
        if (!_waiting.TryGetValue(index, out var waiters))
        {
            _waiting[index] = waiters = [];
        }
        waiters.Add(e);
        return e;
    }

    private IEnumerable<Event> Drive()
    {
        while (true)
        {
            _solver.SetState(_committedAt, _committed);
            var result = _solver.IntegrateTo(_committedAt + _lookahead);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"The continuous state could not be integrated past {result.Time}: {result.Status}.");
            }
            yield return _simulation.Timeout(result.Time - _simulation.Now);
            if (_driver.TryTakeInterrupt(out _))
            {
                continue; // the model changed the state: look ahead again from it
            }
            _solver.State.CopyTo(_committed);
            _committedAt = result.Time;
            if (result.Status == OdeStatus.TerminalEvent)
            {
                foreach (var hit in _solver.EventsFound)
                {
                    if (hit.Terminal && _waiting.Remove(hit.Index, out var waiters))
                    {
                        waiters.ForEach(w => w.Succeed(hit));
                    }
                }
            }
        }
    }

    /// <summary>Brings the committed state to now by integrating from it (no crossing can fall before now: the driver would have woken).</summary>
    private void Sync()
    {
        var now = _simulation.Now;
        if (_committedAt == now)
        {
            return;
        }
        _solver.SetState(_committedAt, _committed);
        // A crossing found within rounding of now, on this slightly different path of steps, is stepped over.
        while (_solver.IntegrateTo(now) is { Status: OdeStatus.TerminalEvent } stop && stop.Time < now)
        {
        }
        _solver.State.CopyTo(_committed);
        _committedAt = now;
        Restart();
    }

    private void Restart()
    {
        if (!ReferenceEquals(_simulation.ActiveProcess, _driver) && _driver.IsAlive)
        {
            _driver.Interrupt("state changed");
        }
    }
}
