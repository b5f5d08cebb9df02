using System.Runtime.ExceptionServices;

namespace Doppel.Simulation.Experiments.Internal;

/// <summary>
/// Runs a list of (scenario, replication) work items on up to N threads, each taking the next item as it frees up, and
/// stores each result in the item's own slot, so the outcome never depends on which thread ran what or when.
/// </summary>
internal sealed class ReplicationBatch(
    IReadOnlyList<Scenario> scenarios,
    Replication replication,
    ExperimentOptions options,
    (int Scenario, int Replication)[] items,
    IReadOnlyDictionary<string, double>[][] slots,
    Action onCompleted,
    CancellationToken cancellationToken)
{
    private readonly Lock _faultLock = new();
    private int _next = -1;
    private volatile bool _stop;
    private int _faultIndex = int.MaxValue;
    private ExceptionDispatchInfo? _fault;

    public void Run()
    {
        cancellationToken.ThrowIfCancellationRequested();
        var workers = Math.Min(options.MaxDegreeOfParallelism, items.Length);
        if (workers <= 1)
        {
            Work();
        }
        else
        {
            var helpers = new Task[workers - 1];
            for (var i = 0; i < helpers.Length; i++)
            {
                // Dedicated threads: replications are long CPU-bound work that would otherwise wait on thread-pool growth.
                helpers[i] = Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
            Work();
            Task.WaitAll(helpers);
        }
        cancellationToken.ThrowIfCancellationRequested();
        _fault?.Throw();
    }

    private void Work()
    {
        while (!_stop && !cancellationToken.IsCancellationRequested)
        {
            // Items are taken in index order, so when item i fails every earlier item has started and a failure among
            // them is still seen: the reported failure is the first in index order on any number of threads.
            var index = Interlocked.Increment(ref _next);
            if (index >= items.Length)
            {
                return;
            }
            var (s, r) = items[index];
            var scenario = scenarios[s];
            var context = new ReplicationContext(scenario, s, r,
                SeedSequence.ReplicationRoot(options.Seed, s, r, options.CommonRandomNumbers));
            try
            {
                slots[s][r] = replication(context, cancellationToken)
                    ?? throw new InvalidOperationException("The replication returned no KPIs (null).");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                lock (_faultLock)
                {
                    if (index < _faultIndex)
                    {
                        _faultIndex = index;
                        _fault = ExceptionDispatchInfo.Capture(new ReplicationException(scenario.Name, r, context.Seed, exception));
                    }
                }
                _stop = true;
                return;
            }
            onCompleted();
        }
    }
}
