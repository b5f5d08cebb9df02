namespace Doppel.Simulation;

/// <summary>A continuous quantity with a capacity (a tank, a silo, energy in a battery): puts wait for room, gets for enough, first come first served.</summary>
public sealed class Container
{
    private readonly Simulation _simulation;
    private readonly Queue<(Event Event, double Amount)> _putters = new();
    private readonly Queue<(Event Event, double Amount)> _getters = new();

    public Container(Simulation simulation, double capacity = double.PositiveInfinity, double initial = 0)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        if (!(capacity > 0) || initial < 0 || initial > capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(initial), $"Need 0 <= initial ({initial}) <= capacity ({capacity}), capacity > 0.");
        }
        _simulation = simulation;
        Capacity = capacity;
        Level = initial;
    }

    public double Capacity { get; }

    public double Level { get; private set; }

    public Event Put(double amount) => Enqueue(_putters, amount);

    public Event Get(double amount) => Enqueue(_getters, amount);

    private Event Enqueue(Queue<(Event, double)> queue, double amount)
    {
        if (!(amount > 0) || amount > Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, $"An amount must be positive and at most the capacity ({Capacity}).");
        }
        var e = new Event(_simulation);
        queue.Enqueue((e, amount));
        Settle();
        return e;
    }

    private void Settle()
    {
        var moved = true;
        while (moved)
        {
            moved = false;
            while (_putters.Count > 0 && Level + _putters.Peek().Amount <= Capacity)
            {
                var (e, amount) = _putters.Dequeue();
                Level += amount;
                e.Succeed(amount);
                moved = true;
            }
            while (_getters.Count > 0 && _getters.Peek().Amount <= Level)
            {
                var (e, amount) = _getters.Dequeue();
                Level -= amount;
                e.Succeed(amount);
                moved = true;
            }
        }
    }
}
