using System.Collections.Concurrent;
using System.Diagnostics;
using Doppel.Analytics.Rul;
using Doppel.Server.Analytics.Internal;
using Doppel.Server.Runtime;

namespace Doppel.Server.Analytics;

/// <summary>
/// Trains predictors in the background, one at a time (training takes the machine's cores), each as an operation a
/// client follows until it succeeds with a new version in the <see cref="PredictorRegistry"/> or fails with the reason.
/// Operations live in memory: the newest <see cref="Kept"/> are kept, and a restart forgets them (their versions stay).
/// </summary>
public sealed class PredictorTrainings(PredictorRegistry registry, TwinRuntime runtime, ILogger<PredictorTrainings> log) : IHostedService, IDisposable
{
    private const int Kept = 100;

    private readonly ConcurrentDictionary<string, PredictorOperation> _operations = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slot = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, bool> _running = new();

    /// <summary>An operation of a predictor, or null.</summary>
    public PredictorOperation? Get(string name, string id) =>
        _operations.TryGetValue(id, out var operation) && operation.Name == name ? operation : null;

    /// <summary>Queues a training; it starts once the trainings before it are done.</summary>
    public PredictorOperation Start(string name, PredictorTrainingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var operation = new PredictorOperation(Guid.NewGuid().ToString("N"), name, request.Source, runtime.Time.GetUtcNow());
        _operations[operation.Id] = operation;
        Forget();
        var task = Task.Run(() => RunAsync(operation, request, _stopping.Token), CancellationToken.None);
        _running[task] = true;
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
        return operation;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_running.Keys).WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _slot.Dispose();
    }

    private async Task RunAsync(PredictorOperation operation, PredictorTrainingRequest request, CancellationToken ct)
    {
        try
        {
            await _slot.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            operation.Fail(new DoppelError("ServiceUnavailable", "The server stopped before the training started."), runtime.Time.GetUtcNow());
            return;
        }
        try
        {
            operation.Report("running", request.Units is null ? "reading history" : "training", runtime.Time.GetUtcNow());
            var units = request.Units;
            if (units is null)
            {
                var read = await ReadHistoryAsync(request, ct);
                if (!read.IsSuccess)
                {
                    operation.Fail(read.Error, runtime.Time.GetUtcNow());
                    log.PredictorTrainingFailed(operation.Name, read.Error.Message);
                    return;
                }
                units = read.Value;
            }
            var watch = Stopwatch.StartNew();
            var progress = new Progress(operation, runtime.Time);
            // Training is CPU-bound and synchronous: on its own thread, cancellable when the server stops.
            var predictor = await Task.Run(() => RulTrainer.Train(units, request.Options, progress, ct), ct);
            var summary = new TrainingSummary(request.Source, units.Count, units.Sum(u => (long)u.Rows.Length), request.From, request.To, request.Options.Seed, watch.Elapsed.TotalMilliseconds);
            var stored = registry.Add(operation.Name, predictor, summary);
            if (!stored.IsSuccess)
            {
                operation.Fail(stored.Error, runtime.Time.GetUtcNow());
                return;
            }
            operation.Succeed(stored.Value, runtime.Time.GetUtcNow());
            log.PredictorTrained(operation.Name, stored.Value.Version, watch.ElapsedMilliseconds, request.Source);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            operation.Fail(new DoppelError("ServiceUnavailable", "The server stopped during the training."), runtime.Time.GetUtcNow());
        }
        catch (ArgumentException e)
        {
            // The trainer refuses data it cannot learn from (too few units, a channel it was told to use is absent).
            operation.Fail(new DoppelError("InvalidArgument", e.Message), runtime.Time.GetUtcNow());
            log.PredictorTrainingFailed(operation.Name, e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            operation.Fail(new DoppelError("InternalServerError", $"The training failed: {e.Message}"), runtime.Time.GetUtcNow());
            log.PredictorTrainingFault(e, operation.Name);
        }
        finally
        {
            _slot.Release();
        }
    }

    /// <summary>Each twin of the model (and its subtypes) with rows in the range is one run to failure.</summary>
    private async Task<Result<IReadOnlyList<Trajectory>>> ReadHistoryAsync(PredictorTrainingRequest request, CancellationToken ct)
    {
        var units = await TelemetryRows.UnitsAsync(runtime, request.HistoryModel!, request.Channels, request.From!.Value, request.To!.Value, minRows: 2, ct);
        return units.Count > 0
            ? Result<IReadOnlyList<Trajectory>>.Ok(units)
            : Result<IReadOnlyList<Trajectory>>.Fail("InvalidArgument",
                $"No twin of '{request.HistoryModel}' has two or more rows of {string.Join(", ", request.Channels)} between {request.From:O} and {request.To:O}.");
    }

    private void Forget()
    {
        if (_operations.Count <= Kept)
        {
            return;
        }
        foreach (var old in _operations.Values.Where(o => o.Status is "succeeded" or "failed").OrderBy(o => o.CreatedTime).Take(_operations.Count - Kept))
        {
            _operations.TryRemove(old.Id, out _);
        }
    }

    private sealed class Progress(PredictorOperation operation, TimeProvider time) : IProgress<string>
    {
        public void Report(string value) => operation.Report("running", value, time.GetUtcNow());
    }
}
