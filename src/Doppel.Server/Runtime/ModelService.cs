using Doppel.Modeling;
using Doppel.Storage;

namespace Doppel.Server.Runtime;

/// <summary>
/// Model uploads, decommissioning and deletion. They are rare and touch the whole catalog, so they are serialized
/// here rather than spread over grains; each change is committed before it is acknowledged.
/// </summary>
public sealed class ModelService(TwinRuntime runtime)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<Result<IReadOnlyList<ModelEntry>>> AddAsync(IReadOnlyList<ModelDocument> documents, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var added = runtime.Models.Add(documents, runtime.Time.GetUtcNow());
            if (!added.IsSuccess)
            {
                return added;
            }
            var batch = new StoreBatch();
            foreach (var entry in added.Value)
            {
                batch.PutModel(entry.Model.Id.Value, entry.Model.Document.GetRawText(), entry.UploadTime, entry.Decommissioned);
            }
            try
            {
                await runtime.Store.CommitAsync(batch, CancellationToken.None);
            }
            catch
            {
                // Not durable, so not acknowledged: take the batch back out of memory.
                foreach (var entry in added.Value.Reverse())
                {
                    runtime.Models.Delete(entry.Model.Id);
                }
                throw;
            }
            return added;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<Result<ModelEntry>> DecommissionAsync(Dtmi id, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var entry = runtime.Models.Get(id);
            if (entry is null)
            {
                return Result<ModelEntry>.Fail("ModelNotFound", $"There is no model with id '{id}'.");
            }
            await runtime.Store.CommitAsync(new StoreBatch().PutModel(id.Value, entry.Model.Document.GetRawText(), entry.UploadTime, decommissioned: true), CancellationToken.None);
            return runtime.Models.Decommission(id);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<Result<bool>> DeleteAsync(Dtmi id, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var entry = runtime.Models.Get(id);
            var deleted = runtime.Models.Delete(id);
            if (!deleted.IsSuccess)
            {
                return deleted;
            }
            try
            {
                await runtime.Store.CommitAsync(new StoreBatch().DeleteModel(id.Value), CancellationToken.None);
            }
            catch
            {
                runtime.Models.Restore([(entry!.Model.Document.GetRawText(), entry.UploadTime, entry.Decommissioned)]);
                throw;
            }
            return deleted;
        }
        finally
        {
            _gate.Release();
        }
    }
}
