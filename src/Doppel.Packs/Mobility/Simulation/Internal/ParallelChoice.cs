using System.Diagnostics;

namespace Doppel.Packs.Mobility.Simulation.Internal;

/// <summary>
/// Whether one phase of the step runs on one thread or on all of them. It times both as the run goes (wall time per
/// vehicle, smoothed) and takes the cheaper, trying the other now and then because the machine's load changes: on a
/// machine whose cores are busy with other work a parallel phase waits for a preempted thread and is slower than one
/// thread. Both ways compute the same result, so the choice changes only the wall time.
/// </summary>
internal sealed class ParallelChoice
{
    // Every this many calls the way that looks slower is tried again, so an estimate never goes stale.
    private const int ExploreEvery = 32;

    private const double Smoothing = 0.2;

    private double serialCost = double.NaN;
    private double parallelCost = double.NaN;
    private int calls;
    private bool parallel;
    private int items;
    private long started;

    /// <summary>Always parallel, whatever the timings say (tests use it to check that the parallel phases give one thread's result).</summary>
    public bool AlwaysParallel { get; set; }

    /// <summary>Starts timing a phase over <paramref name="count"/> items; returns whether to run it in parallel.</summary>
    public bool Begin(int count)
    {
        calls++;
        if (AlwaysParallel)
        {
            parallel = true;
        }
        else if (double.IsNaN(serialCost))
        {
            parallel = false;
        }
        else if (double.IsNaN(parallelCost))
        {
            parallel = true;
        }
        else
        {
            var faster = parallelCost < serialCost;
            parallel = calls % ExploreEvery == 0 ? !faster : faster;
        }
        items = Math.Max(1, count);
        started = Stopwatch.GetTimestamp();
        return parallel;
    }

    /// <summary>Ends the phase <see cref="Begin"/> started and records its cost.</summary>
    public void End()
    {
        var cost = (double)(Stopwatch.GetTimestamp() - started) / items;
        if (parallel)
        {
            parallelCost = double.IsNaN(parallelCost) ? cost : parallelCost + (Smoothing * (cost - parallelCost));
        }
        else
        {
            serialCost = double.IsNaN(serialCost) ? cost : serialCost + (Smoothing * (cost - serialCost));
        }
    }
}
