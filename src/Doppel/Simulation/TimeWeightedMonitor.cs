namespace Doppel.Simulation;

/// <summary>A level over simulated time (queue length, WIP, machines busy): its time average, maximum and current value.</summary>
public sealed class TimeWeightedMonitor
{
    private readonly Simulation _simulation;
    private double _start;
    private double _since;
    private double _area;

    public TimeWeightedMonitor(Simulation simulation, double initial = 0)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        _simulation = simulation;
        _start = _since = simulation.Now;
        Current = Max = initial;
    }

    public double Current { get; private set; }

    public double Max { get; private set; }

    /// <summary>The average level from the start (or the last reset) until now.</summary>
    public double Mean
    {
        get
        {
            var elapsed = _simulation.Now - _start;
            return elapsed > 0 ? (_area + (Current * (_simulation.Now - _since))) / elapsed : Current;
        }
    }

    public void Update(double level)
    {
        var now = _simulation.Now;
        _area += Current * (now - _since);
        _since = now;
        Current = level;
        Max = Math.Max(Max, level);
    }

    public void Increment(double by = 1) => Update(Current + by);

    public void Decrement(double by = 1) => Update(Current - by);

    /// <summary>Starts averaging afresh from now, keeping the current level (the end of a warm-up period).</summary>
    public void Reset()
    {
        _start = _since = _simulation.Now;
        _area = 0;
        Max = Current;
    }
}
