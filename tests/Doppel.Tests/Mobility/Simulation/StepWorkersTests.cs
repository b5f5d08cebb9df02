using Doppel.Packs.Mobility.Simulation.Internal;

namespace Doppel.Tests.Mobility.Simulation;

public sealed class StepWorkersTests
{
    [Fact]
    public void Every_chunk_of_every_phase_runs_exactly_once()
    {
        var workers = new StepWorkers(3);
        var runs = new int[64];
        var threads = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();

        for (var phase = 0; phase < 2000; phase++)
        {
            workers.For(runs.Length, chunk =>
            {
                Interlocked.Increment(ref runs[chunk]);
                threads[Environment.CurrentManagedThreadId] = true;
                Thread.SpinWait(50);
            });
            // The phase is over when For returns: no chunk of it runs later.
            Assert.All(runs, count => Assert.Equal(phase + 1, count));
        }

        Assert.All(runs, count => Assert.Equal(2000, count));
        Assert.Contains(Environment.CurrentManagedThreadId, threads.Keys);
    }

    [Fact]
    public void A_fault_in_a_chunk_is_thrown_to_the_caller_after_the_phase_and_the_next_phase_runs()
    {
        var workers = new StepWorkers(2);
        var done = 0;

        var fault = Assert.Throws<InvalidOperationException>(() => workers.For(16, chunk =>
        {
            Interlocked.Increment(ref done);
            if (chunk == 5)
            {
                throw new InvalidOperationException("chunk 5");
            }
        }));

        Assert.Equal("chunk 5", fault.Message);
        Assert.Equal(16, done);
        var after = 0;
        workers.For(8, _ => Interlocked.Increment(ref after));
        Assert.Equal(8, after);
    }
}
