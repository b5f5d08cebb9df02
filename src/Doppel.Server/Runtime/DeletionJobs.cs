using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Doppel.Server.Runtime;

/// <summary>
/// ADT delete jobs: delete every relationship, twin and model of the instance, in the background. Each deletion goes
/// through the same path as a single DELETE (grains for twins and relationships, <see cref="ModelService"/> for
/// models), so concurrent writers stay consistent; like ADT's, the job is not one atomic transaction.
/// Job records live in memory: they describe work, while the deletions themselves are durable.
/// </summary>
public sealed class DeletionJobs(TwinRuntime runtime, ModelService models, IGrainFactory grains, BulkJobSlot slot, ILogger<DeletionJobs> logger)
{
    private readonly ConcurrentDictionary<string, DeletionJob> _jobs = new(StringComparer.Ordinal);
    public IEnumerable<DeletionJob> Jobs => _jobs.Values.OrderBy(j => j.Id, StringComparer.Ordinal);

    public DeletionJob? Get(string id) => _jobs.GetValueOrDefault(id);

    /// <summary>Starts a job; refused with JobLimitReached while another one runs (ADT allows one bulk job at a time).</summary>
    public Result<DeletionJob> Start(string id, TimeSpan timeout)
    {
        if (!slot.TryTake())
        {
            return Result<DeletionJob>.Fail("JobLimitReached", "An import or delete job is already running; wait for it to finish.");
        }
        var now = runtime.Time.GetUtcNow();
        var job = new DeletionJob(id, now);
        if (!_jobs.TryAdd(id, job))
        {
            slot.Release();
            return Result<DeletionJob>.Fail("InvalidArgument", $"A delete job with id '{id}' already exists.");
        }
        _ = Task.Run(() => RunAsync(job, timeout));
        return Result<DeletionJob>.Ok(job);
    }

    private async Task RunAsync(DeletionJob job, TimeSpan timeout)
    {
        try
        {
            job.Status = "running";
            using var cancel = new CancellationTokenSource(timeout);
            foreach (var twin in runtime.Graph.Twins.ToList())
            {
                foreach (var relationship in runtime.Graph.Outgoing(twin.Id))
                {
                    cancel.Token.ThrowIfCancellationRequested();
                    await Check(grains.GetGrain<ITwinGrain>(twin.Id).DeleteRelationship(relationship.Id, ifMatch: null), "RelationshipNotFound");
                }
            }
            foreach (var twin in runtime.Graph.Twins.ToList())
            {
                cancel.Token.ThrowIfCancellationRequested();
                await Check(grains.GetGrain<ITwinGrain>(twin.Id).Delete(ifMatch: null), "DigitalTwinNotFound");
            }
            await DeleteModelsAsync(cancel.Token);
            job.Finish("succeeded", runtime.Time.GetUtcNow());
        }
        catch (Exception e)
        {
            logger.DeleteJobFailed(e, job.Id);
            job.Finish("failed", runtime.Time.GetUtcNow(), new DoppelError(e is OperationCanceledException ? "TimeoutError" : "InternalServerError", e.Message));
        }
        finally
        {
            slot.Release();
        }
    }

    /// <summary>Deletes models leaves first: a model another model still extends or uses cannot go before it.</summary>
    private async Task DeleteModelsAsync(CancellationToken ct)
    {
        while (runtime.Models.List() is { Count: > 0 } remaining)
        {
            var progress = false;
            foreach (var entry in remaining)
            {
                ct.ThrowIfCancellationRequested();
                var deleted = await models.DeleteAsync(entry.Model.Id, ct);
                progress |= deleted.IsSuccess || deleted.Error.Code == "ModelNotFound";
            }
            if (!progress)
            {
                throw new InvalidOperationException($"{remaining.Count} models reference each other and could not be deleted.");
            }
        }
    }

    private static async Task Check(Task<WriteOutcome> write, string alreadyGone)
    {
        // Something deleted concurrently is as good as deleted by the job.
        if ((await write).Error is { } error && error.Code != alreadyGone)
        {
            throw new InvalidOperationException($"{error.Code}: {error.Message}");
        }
    }
}

/// <summary>The state of one delete job, in ADT's shape.</summary>
public sealed class DeletionJob(string id, DateTimeOffset created)
{
    public string Id { get; } = id;

    private volatile string _status = "notstarted";

    /// <summary>notstarted, running, succeeded or failed.</summary>
    public string Status { get => _status; internal set => _status = value; }

    public DateTimeOffset CreatedDateTime { get; } = created;

    public DateTimeOffset? FinishedDateTime { get; private set; }

    public DoppelError? Error { get; private set; }

    internal void Finish(string status, DateTimeOffset at, DoppelError? error = null)
    {
        FinishedDateTime = at;
        Error = error;
        Status = status;
    }

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["status"] = Status,
        ["createdDateTime"] = CreatedDateTime.ToString("O"),
        ["finishedDateTime"] = FinishedDateTime?.ToString("O"),
        ["purgeDateTime"] = CreatedDateTime.AddDays(1).ToString("O"),
        ["error"] = Error is null ? null : new JsonObject { ["code"] = Error.Code, ["message"] = Error.Message },
    };
}
