namespace Doppel.Simulation;

/// <summary>
/// An event that happens after a delay. Timeouts that a process yields directly are recycled once it has resumed, so
/// the hot loop of a model allocates nothing: do not keep a timeout after yielding it.
/// </summary>
public sealed class Timeout : Event
{
    internal Timeout(Simulation simulation)
        : base(simulation)
    {
    }

    public double Delay { get; private set; }

    internal void Start(double delay, object? value)
    {
        Reset();
        Delay = delay;
        Value = value;
        Simulation.Schedule(this, delay, EventPriority.Normal);
    }

    internal override void Dispatch()
    {
        var recycle = SoleWaiterIsProcess;
        base.Dispatch();
        if (recycle)
        {
            Simulation.Recycle(this);
        }
    }
}
