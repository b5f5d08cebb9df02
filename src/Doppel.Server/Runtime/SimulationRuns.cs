using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Doppel.Storage;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Runtime;

/// <summary>
/// Scenario and experiment runs as resources: queued, run a few at a time, observable while they run, cancellable, and
/// kept in the store's documents (kind <see cref="DocumentKind"/>) with their request and result.
/// </summary>
/// <remarks>
/// <para>
/// At most <see cref="DoppelServerOptions.MaxConcurrentRuns"/> run at once (one by default: a run already spreads its
/// replications over every core, so a second one would only halve the speed of both); up to
/// <see cref="DoppelServerOptions.MaxQueuedRuns"/> more wait, in submission order; beyond that a run is refused.
/// </para>
/// <para>
/// A run is stored when it is accepted, when it starts and when it finishes; progress lives in memory only. A run that was queued or
/// running when the server stopped (or crashed) is found unfinished in the store at the next start and marked failed.
/// </para>
/// </remarks>
public sealed partial class SimulationRuns : IAsyncDisposable
{
    /// <summary>The kind under which runs are kept in the store's documents.</summary>
    public const string DocumentKind = "run";

    private readonly ConcurrentDictionary<string, SimulationRun> _runs = new(StringComparer.Ordinal);
    private readonly Channel<SimulationRun> _queue = Channel.CreateUnbounded<SimulationRun>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly CancellationTokenSource _stopping = new();
    // Serialises the store writes of runs, so that a later state is never overwritten by an earlier one, nor a deleted run written back.
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly TwinRuntime _runtime;
    private readonly DoppelServerOptions _options;
    private readonly ILogger<SimulationRuns> _logger;
    private readonly Task[] _workers;
    private int _unfinished;

    public SimulationRuns(TwinRuntime runtime, IOptions<DoppelServerOptions> options, IHostApplicationLifetime lifetime, ILogger<SimulationRuns> logger)
    {
        _runtime = runtime;
        _options = options.Value;
        _logger = logger;
        // Stop as soon as the host begins to stop, so that requests waiting on a run answer instead of holding up the shutdown.
        lifetime.ApplicationStopping.Register(Stop);
        _workers = [.. Enumerable.Range(0, _options.MaxConcurrentRuns).Select(_ => Task.Run(WorkAsync))];
    }

    /// <summary>Every run, oldest first.</summary>
    public IEnumerable<SimulationRun> Runs => _runs.Values.OrderBy(SortKey, StringComparer.Ordinal);

    public SimulationRun? Get(string id) => _runs.GetValueOrDefault(id);

    /// <summary>The key runs are listed (and paged) by: creation time, then id.</summary>
    public static string SortKey(SimulationRun run) =>
        run.CreatedDateTime.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "/" + run.Id;

    /// <summary>Loads the stored runs; those still queued or running when the server last stopped are stored again as failed.</summary>
    public async Task RestoreAsync(CancellationToken ct)
    {
        var batch = new StoreBatch();
        foreach (var document in await _runtime.Store.LoadDocumentsAsync(DocumentKind, ct))
        {
            SimulationRun run;
            try
            {
                run = SimulationRun.FromStored(document.Id, JsonNode.Parse(document.Json)!.AsObject());
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"The run '{document.Id}' stored in {_runtime.Store.DatabasePath} no longer loads: {e.Message}", e);
            }
            var status = run.Status;
            if (!run.IsFinished && run.TryFinish("failed", _runtime.Time.GetUtcNow(), error: new DoppelError("RunInterrupted",
                $"The run was interrupted by a server restart: it was {status} when the server stopped. Submit it again to run it.")))
            {
                batch.PutDocument(DocumentKind, run.Id, run.ToJson(full: true).ToJsonString());
            }
            _runs[run.Id] = run;
        }
        await _runtime.Store.CommitAsync(batch, ct);
    }

    /// <summary>
    /// Accepts a run and queues it; returns once it is stored. <paramref name="name"/> is its id (a new time-ordered one
    /// when null); <paramref name="total"/> is the replications it will run.
    /// </summary>
    public async Task<Result<SimulationRun>> SubmitAsync(string? name, string kind, JsonNode request, int total, RunWork work, CancellationToken ct)
    {
        if (name is not null && !RunId().IsMatch(name))
        {
            return Result<SimulationRun>.Fail("InvalidArgument", $"The run name '{name}' must be 1 to 100 letters, digits, '.', '-' or '_', starting with a letter or digit.");
        }
        if (_stopping.IsCancellationRequested)
        {
            return Result<SimulationRun>.Fail("ServiceUnavailable", "The server is stopping; submit the run again once it is back.");
        }
        var limit = _options.MaxConcurrentRuns + _options.MaxQueuedRuns;
        if (Interlocked.Increment(ref _unfinished) > limit)
        {
            Interlocked.Decrement(ref _unfinished);
            return Result<SimulationRun>.Fail("RunQueueFull",
                $"{_options.MaxConcurrentRuns} run(s) are running and {_options.MaxQueuedRuns} waiting, the most this server takes; wait for one to finish or cancel one.");
        }
        var now = _runtime.Time.GetUtcNow();
        var run = new SimulationRun(name ?? Guid.CreateVersion7(now).ToString(), kind, request, total, now, work);
        if (!_runs.TryAdd(run.Id, run))
        {
            Interlocked.Decrement(ref _unfinished);
            return Result<SimulationRun>.Fail("RunAlreadyExists", $"A run named '{run.Id}' already exists; choose another name or delete it first.");
        }
        try
        {
            await StoreAsync(run, ct);
        }
        catch
        {
            _runs.TryRemove(run.Id, out _);
            Interlocked.Decrement(ref _unfinished);
            throw;
        }
        _queue.Writer.TryWrite(run);
        return Result<SimulationRun>.Ok(run);
    }

    /// <summary>Cancels a queued run at once, or asks a running one to stop (a line replication checks a hundred times over its run).</summary>
    public async Task<Result<SimulationRun>> CancelAsync(string id, CancellationToken ct)
    {
        if (!_runs.TryGetValue(id, out var run))
        {
            return NotFound(id);
        }
        var was = run.Cancel(_runtime.Time.GetUtcNow());
        switch (was)
        {
            case "queued":
                Interlocked.Decrement(ref _unfinished);
                await StoreAsync(run, ct);
                return Result<SimulationRun>.Ok(run);
            case "running" or "cancelling":
                return Result<SimulationRun>.Ok(run);
            default:
                return Result<SimulationRun>.Fail("RunAlreadyFinished", $"Run '{id}' has already finished ({was}); only a queued or running run can be cancelled.");
        }
    }

    /// <summary>Forgets a finished run, here and in the store.</summary>
    public async Task<Result<SimulationRun>> DeleteAsync(string id, CancellationToken ct)
    {
        if (!_runs.TryGetValue(id, out var run))
        {
            return NotFound(id);
        }
        if (!run.IsFinished)
        {
            return Result<SimulationRun>.Fail("RunNotFinished", $"Run '{id}' is {run.Status}; cancel it (POST /doppel/runs/{id}/cancel) and delete it once it has stopped.");
        }
        await _writes.WaitAsync(ct);
        try
        {
            await _runtime.Store.CommitAsync(new StoreBatch().DeleteDocument(DocumentKind, id), ct);
            _runs.TryRemove(id, out _);
        }
        finally
        {
            _writes.Release();
        }
        return Result<SimulationRun>.Ok(run);
    }

    /// <summary>Stops every run (they stay stored as they were: the next start marks them interrupted) and waits for the workers.</summary>
    public async ValueTask DisposeAsync()
    {
        Stop();
        await Task.WhenAll(_workers);
        _stopping.Dispose();
    }

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var run in _queue.Reader.ReadAllAsync(_stopping.Token))
            {
                if (!run.TryStart(_runtime.Time.GetUtcNow()))
                {
                    continue;
                }
                await TryStoreAsync(run);
                await ExecuteAsync(run);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task ExecuteAsync(SimulationRun run)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(run.Cancellation.Token, _stopping.Token);
        JsonObject? result = null;
        DoppelError? error = null;
        string status;
        try
        {
            result = await Task.Run(() => run.Work!(run, stop.Token), stop.Token);
            status = "succeeded";
        }
        catch (OperationCanceledException) when (run.Cancellation.IsCancellationRequested)
        {
            status = "cancelled";
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Not stored: the stored copy still says running, which the next start reports as interrupted.
            Interrupt(run);
            return;
        }
        catch (Exception e)
        {
            _logger.SimulationRunFailed(e, run.Id);
            status = "failed";
            error = new DoppelError("InternalServerError", $"The run failed: {e.Message}");
        }
        if (run.TryFinish(status, _runtime.Time.GetUtcNow(), result, error))
        {
            Interlocked.Decrement(ref _unfinished);
            await TryStoreAsync(run);
        }
    }

    /// <summary>Stores a run from a worker, which must go on with the next run whatever happens to this write.</summary>
    private async Task TryStoreAsync(SimulationRun run)
    {
        try
        {
            await StoreAsync(run, CancellationToken.None);
        }
        catch (Exception e)
        {
            _logger.SimulationRunNotStored(e, run.Id, run.Status);
        }
    }

    private async Task StoreAsync(SimulationRun run, CancellationToken ct)
    {
        await _writes.WaitAsync(ct);
        try
        {
            if (_runs.TryGetValue(run.Id, out var current) && ReferenceEquals(current, run))
            {
                await _runtime.Store.CommitAsync(new StoreBatch().PutDocument(DocumentKind, run.Id, run.ToJson(full: true).ToJsonString()), ct);
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    private void Stop()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        _stopping.Cancel();
        foreach (var run in _runs.Values)
        {
            if (run.Status == "queued")
            {
                Interrupt(run);
            }
        }
    }

    /// <summary>Ends a run in memory only, so that a request waiting on it answers.</summary>
    private void Interrupt(SimulationRun run) =>
        run.TryFinish("failed", _runtime.Time.GetUtcNow(), error: new DoppelError("ServiceUnavailable", "The server is stopping; the run was interrupted. Submit it again once the server is back."));

    private static Result<SimulationRun> NotFound(string id) => Result<SimulationRun>.Fail("RunNotFound", $"There is no run with id '{id}'.");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex RunId();
}
