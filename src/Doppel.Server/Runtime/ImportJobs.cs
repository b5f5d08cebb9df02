using System.Collections.Concurrent;
using Doppel.Server.Runtime.Internal;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Runtime;

/// <summary>
/// ADT import jobs: the registry of jobs (start, read, cancel, forget) and each job's run in the background, which
/// reads models, twins and relationships from an NDJSON file (ADT's bulk format; <see cref="ImportSections"/>) and
/// commits them (<see cref="ImportCommit"/>), logging each bad line with its line number in the file (<see cref="ImportLog"/>).
/// </summary>
/// <remarks>
/// <para>Models go through <see cref="ModelService"/> as one set, so references resolve within the file.</para>
/// <para>
/// Twins and relationships bypass the grains: a grain call per item would cap the import far below what SQLite can
/// take. The single-writer guarantee is kept another way: an import only <em>creates</em> (an item that already
/// exists is logged and skipped, never overwritten), every item is validated by the same <see cref="Doppel.Twins.TwinOperations"/>
/// calls as the REST path, and each chunk's existence checks, commit and publication to the graph run while the
/// importer holds every stripe of <see cref="StripedLocks"/>; grains take their twin's stripe around every create and
/// delete, so no grain write interleaves with a chunk. Parsing and validation of the next chunk overlap the commit of
/// the previous one. An item counts as imported only once its chunk is committed (durable).
/// </para>
/// <para>One bad line is logged to the output and skipped, as in ADT; a malformed header or an unreadable input fails the job.</para>
/// </remarks>
public sealed class ImportJobs(TwinRuntime runtime, ModelService models, BulkJobSlot slot, IOptions<DoppelServerOptions> options, ILogger<ImportJobs> logger)
{
    private readonly ConcurrentDictionary<string, ImportJob> _jobs = new(StringComparer.Ordinal);

    public IEnumerable<ImportJob> Jobs => _jobs.Values.OrderBy(j => j.Id, StringComparer.Ordinal);

    public ImportJob? Get(string id) => _jobs.GetValueOrDefault(id);

    /// <summary>Starts a job; refused with JobLimitReached while another bulk job runs.</summary>
    public Result<ImportJob> Start(string id, string inputBlobUri, string outputBlobUri)
    {
        if (ImportLocations.Input(inputBlobUri) is { IsSuccess: false } badInput)
        {
            return badInput.Error;
        }
        if (ImportLocations.Output(outputBlobUri) is { IsSuccess: false } badOutput)
        {
            return badOutput.Error;
        }
        if (_jobs.ContainsKey(id))
        {
            return Result<ImportJob>.Fail("InvalidArgument", $"An import job with id '{id}' already exists.");
        }
        if (!slot.TryTake())
        {
            return Result<ImportJob>.Fail("JobLimitReached", "An import or delete job is already running; wait for it to finish.");
        }
        var job = new ImportJob(id, inputBlobUri, outputBlobUri, runtime.Time.GetUtcNow());
        if (!_jobs.TryAdd(id, job))
        {
            slot.Release();
            return Result<ImportJob>.Fail("InvalidArgument", $"An import job with id '{id}' already exists.");
        }
        _ = Task.Run(() => RunAsync(job));
        return Result<ImportJob>.Ok(job);
    }

    /// <summary>Asks a running job to stop after its current chunk; what it imported stays (no rollback, as in ADT).</summary>
    public ImportJob? Cancel(string id)
    {
        if (!_jobs.TryGetValue(id, out var job))
        {
            return null;
        }
        if (job.Status is "notstarted" or "running")
        {
            job.Status = "cancelling";
            job.Touch(runtime.Time.GetUtcNow());
            job.Cancellation.Cancel();
        }
        return job;
    }

    /// <summary>Forgets a job (cancelling it first if it still runs).</summary>
    public bool Delete(string id)
    {
        Cancel(id);
        return _jobs.TryRemove(id, out _);
    }

    /// <summary>One job from start to its final status, with its log file; the bulk-job slot is released at the end whatever happens.</summary>
    private async Task RunAsync(ImportJob job)
    {
        var ct = job.Cancellation.Token;
        ImportLog? log = null;
        try
        {
            if (job.Status == "notstarted")
            {
                job.Status = "running";
            }
            job.Touch(runtime.Time.GetUtcNow());
            var outputPath = ImportLocations.Output(job.OutputBlobUri).Value!;
            Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
            log = new ImportLog(new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16), job.Id, runtime.Time);
            log.Info(null, "Started");
            await using var input = await ImportLocations.OpenInputAsync(ImportLocations.Input(job.InputBlobUri).Value!, ct);
            var commit = new ImportCommit(job, log, runtime, models, options.Value);
            var failure = await new ImportSections(new Utf8LineReader(input), commit, job, log).ReadAsync(ct);
            if (failure is not null)
            {
                log.Error(null, 0, failure);
                log.Info(null, "Failed");
                job.Finish("failed", runtime.Time.GetUtcNow(), failure);
            }
            else
            {
                log.Info(null, "Succeeded");
                job.Finish("succeeded", runtime.Time.GetUtcNow());
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log?.Info(null, "Cancelled");
            job.Finish("cancelled", runtime.Time.GetUtcNow());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException)
        {
            var error = new DoppelError("InvalidArgument", $"The import job could not read its input or write its output: {e.Message}");
            log?.Error(null, 0, error);
            job.Finish("failed", runtime.Time.GetUtcNow(), error);
        }
        catch (Exception e)
        {
            logger.ImportJobFailed(e, job.Id);
            job.Finish("failed", runtime.Time.GetUtcNow(), new DoppelError("InternalServerError", e.Message));
        }
        finally
        {
            if (log is not null)
            {
                await log.DisposeAsync();
            }
            slot.Release();
        }
    }
}
