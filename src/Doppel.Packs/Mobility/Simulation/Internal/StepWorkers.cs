using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Doppel.Packs.Mobility.Simulation.Internal;

/// <summary>
/// Runs a step's parallel phases on the calling thread and dedicated workers. A step has three such phases of tens of
/// microseconds each on a city network; the thread pool's Parallel.For spends about as long waking its workers for each,
/// so two threads were no faster than one. Here a phase is published as one object whose chunks every thread claims
/// with an interlocked increment, and between phases the workers spin briefly (yielding), then sleep, and leave after
/// an idle second, so a simulation dropped without disposal leaves no thread behind.
/// </summary>
internal sealed class StepWorkers
{
    // How long a worker keeps spinning for the next phase before it sleeps: longer than a step's sequential parts.
    private static readonly long SpinTicks = Stopwatch.Frequency / 2000; // 0.5 ms

    private const int IdleExitMilliseconds = 1000;

    private readonly int[] alive;
    private readonly object gate = new(); // Monitor.Wait needs a monitor, not a System.Threading.Lock
    private Phase? current;
    private int sleeping;

    /// <summary>A team for <paramref name="threads"/> threads in all: the caller and threads − 1 workers.</summary>
    public StepWorkers(int threads) => alive = new int[Math.Max(0, threads - 1)];

    /// <summary>Runs <paramref name="body"/> for every chunk 0..<paramref name="chunks"/>−1, each exactly once, on any of the threads; returns when all are done.</summary>
    public void For(int chunks, Action<int> body)
    {
        var phase = new Phase(body, chunks);
        Volatile.Write(ref current, phase);
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref sleeping) > 0)
        {
            lock (gate)
            {
                Monitor.PulseAll(gate);
            }
        }
        StartIdleWorkers();
        phase.Drain();
        var spin = new SpinWait();
        while (Volatile.Read(ref phase.Finished) < chunks)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
        Volatile.Write(ref current, null);
        if (phase.Fault is { } fault)
        {
            fault.Throw();
        }
    }

    private void StartIdleWorkers()
    {
        for (var w = 0; w < alive.Length; w++)
        {
            if (Volatile.Read(ref alive[w]) == 0)
            {
                alive[w] = 1;
                var slot = w;
                new Thread(() => Work(slot)) { IsBackground = true, Name = "doppel-traffic-step" }.Start();
            }
        }
    }

    private void Work(int slot)
    {
        Phase? last = null;
        while (Next(last) is { } phase)
        {
            last = phase;
            phase.Drain();
        }
        // Idle: this worker ends; a phase published from now on starts another in its slot.
        Volatile.Write(ref alive[slot], 0);
    }

    // The next phase after the last one this worker ran: spin a little, then sleep until one is published; null after
    // an idle second (the worker then ends, and the next phase starts a new one).
    private Phase? Next(Phase? last)
    {
        var spin = new SpinWait();
        var until = Stopwatch.GetTimestamp() + SpinTicks;
        while (Stopwatch.GetTimestamp() < until)
        {
            if (Volatile.Read(ref current) is { } phase && phase != last)
            {
                return phase;
            }
            spin.SpinOnce(sleep1Threshold: -1);
        }
        lock (gate)
        {
            // Counted as sleeping before the last look, so a phase published now either is seen or pulses the gate.
            Interlocked.Increment(ref sleeping);
            try
            {
                while (true)
                {
                    if (Volatile.Read(ref current) is { } phase && phase != last)
                    {
                        return phase;
                    }
                    if (!Monitor.Wait(gate, IdleExitMilliseconds))
                    {
                        return Volatile.Read(ref current) is { } late && late != last ? late : null;
                    }
                }
            }
            finally
            {
                Interlocked.Decrement(ref sleeping);
            }
        }
    }

    // One parallel phase: its chunks are claimed by whichever thread comes; a thread that comes late finds none left.
    private sealed class Phase(Action<int> body, int chunks)
    {
        private int next = -1;
        public int Finished;
        public ExceptionDispatchInfo? Fault;

        public void Drain()
        {
            int chunk;
            while ((chunk = Interlocked.Increment(ref next)) < chunks)
            {
                try
                {
                    body(chunk);
                }
                catch (Exception e)
                {
                    // A fault belongs to the caller: the first one is rethrown there once the phase is over.
                    Interlocked.CompareExchange(ref Fault, ExceptionDispatchInfo.Capture(e), null);
                }
                Interlocked.Increment(ref Finished);
            }
        }
    }
}
