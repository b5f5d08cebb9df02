using System.Text.Json.Nodes;
using Doppel.History;
using Doppel.Storage;

namespace Doppel.Server.Runtime;

/// <summary>
/// Applies the standing history policy (kept in the store's documents) every policy interval on the server's clock:
/// downsampling, then retention, then compaction. The outcome of the last run is kept for <c>GET /doppel/history/policy</c>.
/// </summary>
public sealed class HistoryMaintenance(TwinRuntime runtime, ILogger<HistoryMaintenance> logger) : BackgroundService
{
    public const string DocumentKind = "history-policy";
    public const string DocumentId = "default";

    private readonly SemaphoreSlim _running = new(1, 1);
    private CancellationTokenSource _wake = new();

    /// <summary>The policy in force, or null for none (history is then kept whole).</summary>
    public HistoryPolicy? Policy => runtime.HistoryPolicy;

    /// <summary>What the last run did, or null before the first.</summary>
    public JsonObject? LastRun { get; private set; }

    /// <summary>Stores and applies a new policy (null removes it); the schedule restarts from now.</summary>
    public async Task SetAsync(HistoryPolicy? policy, CancellationToken ct)
    {
        var batch = policy is null
            ? new StoreBatch().DeleteDocument(DocumentKind, DocumentId)
            : new StoreBatch().PutDocument(DocumentKind, DocumentId, policy.ToJson().ToJsonString());
        await runtime.Store.CommitAsync(batch, ct);
        runtime.HistoryPolicy = policy;
        var wake = Interlocked.Exchange(ref _wake, new CancellationTokenSource());
        await wake.CancelAsync();
        wake.Dispose();
    }

    /// <summary>Applies the policy now; returns what it did.</summary>
    public async Task<JsonObject> RunAsync(CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            var policy = runtime.HistoryPolicy;
            var now = runtime.Time.GetUtcNow();
            var run = new JsonObject { ["at"] = now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture) };
            if (policy is not null)
            {
                if (policy.DownsampleAfter is { } after && policy.DownsampleBucket is { } bucket)
                {
                    run["downsampled"] = await runtime.History.DownsampleBeforeAsync(now - after, bucket, ct);
                }
                if (policy.Retention is { } retention)
                {
                    run["deleted"] = await runtime.History.DeleteBeforeAsync(now - retention, ct);
                }
                if (policy.Compact)
                {
                    run["compacted"] = await runtime.History.CompactAsync(ct);
                }
            }
            LastRun = run;
            return run;
        }
        finally
        {
            _running.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = _wake;
            using var both = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, wake.Token);
            try
            {
                await Task.Delay(runtime.HistoryPolicy?.Interval ?? Timeout.InfiniteTimeSpan, runtime.Time, both.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                continue; // the policy changed: wait its new interval
            }
            catch (OperationCanceledException)
            {
                break;
            }
            try
            {
                await RunAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.HistoryPolicyFailed(e);
            }
        }
    }
}
