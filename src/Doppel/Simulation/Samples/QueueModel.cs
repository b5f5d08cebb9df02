namespace Doppel.Simulation.Samples;

/// <summary>
/// A G/G/c queue: customers arrive, wait for one of <c>c</c> servers, are served, leave. It reads like the system it
/// models and serves as the validation model (M/M/1, M/M/c, M/G/1 against their formulas) and the benchmark model.
/// </summary>
public sealed class QueueModel
{
    private readonly Simulation _sim;
    private readonly Resource _servers;
    private readonly Func<SimRandom, double> _interarrival;
    private readonly Func<SimRandom, double> _service;
    private readonly long _customers;
    private readonly long _warmup;

    /// <param name="sim">The simulation to run in.</param>
    /// <param name="servers">c.</param>
    /// <param name="interarrival">Draws the time between arrivals.</param>
    /// <param name="service">Draws a service time.</param>
    /// <param name="customers">Customers to generate (after the warm-up ones).</param>
    /// <param name="warmup">Customers generated first and left out of the statistics.</param>
    public QueueModel(Simulation sim, int servers, Func<SimRandom, double> interarrival, Func<SimRandom, double> service, long customers, long warmup = 0)
    {
        ArgumentNullException.ThrowIfNull(sim);
        _sim = sim;
        _servers = new Resource(sim, servers);
        _interarrival = interarrival;
        _service = service;
        _customers = customers;
        _warmup = warmup;
        InSystem = new TimeWeightedMonitor(sim);
        InQueue = new TimeWeightedMonitor(sim);
        Empty = new TimeWeightedMonitor(sim, initial: 1);
    }

    /// <summary>Time in system (W) of customers after the warm-up.</summary>
    public SampleMonitor Sojourn { get; } = new();

    /// <summary>Time waiting (Wq).</summary>
    public SampleMonitor Wait { get; } = new();

    /// <summary>Customers in the system (L), time-weighted.</summary>
    public TimeWeightedMonitor InSystem { get; }

    /// <summary>Customers waiting (Lq), time-weighted.</summary>
    public TimeWeightedMonitor InQueue { get; }

    /// <summary>1 while the system is empty: its mean is P0.</summary>
    public TimeWeightedMonitor Empty { get; }

    /// <summary>Runs until every customer has left.</summary>
    public QueueModel Run()
    {
        _sim.Process(Source());
        _sim.Run();
        return this;
    }

    private IEnumerable<Event> Source()
    {
        for (long i = 0; i < _warmup + _customers; i++)
        {
            if (i == _warmup)
            {
                ResetStatistics();
            }
            _sim.Process(Customer(measured: i >= _warmup));
            yield return _sim.Timeout(_interarrival(_sim.Random));
        }
    }

    private IEnumerable<Event> Customer(bool measured)
    {
        var arrived = _sim.Now;
        Arrive();
        using var request = _servers.Request();
        InQueue.Increment();
        yield return request;
        InQueue.Decrement();
        var waited = _sim.Now - arrived;
        yield return _sim.Timeout(_service(_sim.Random));
        Leave();
        if (measured)
        {
            Wait.Add(waited);
            Sojourn.Add(_sim.Now - arrived);
        }
    }

    private void Arrive()
    {
        InSystem.Increment();
        Empty.Update(0);
    }

    private void Leave()
    {
        InSystem.Decrement();
        Empty.Update(InSystem.Current == 0 ? 1 : 0);
    }

    private void ResetStatistics()
    {
        InSystem.Reset();
        InQueue.Reset();
        Empty.Reset();
    }
}
