using System.Text;
using System.Text.Json;
using Doppel.Modeling;
using Doppel.Storage;
using Doppel.Twins;

namespace Doppel.Server.Runtime.Internal;

/// <summary>
/// What an import job does with the lines it reads: models as one set through <see cref="ModelService"/>; twins and
/// relationships validated a chunk at a time, in parallel, then committed under every stripe lock (see
/// <see cref="ImportJobs"/> for why that keeps grains the single writers). A bad line is logged with its line in the
/// file and skipped; an item counts as imported once its chunk is committed.
/// </summary>
internal sealed class ImportCommit(ImportJob job, ImportLog log, TwinRuntime runtime, ModelService models, DoppelServerOptions options)
{
    /// <summary>Imports the Models section's lines as one set; returns how many models it added.</summary>
    public async Task<long> ModelsAsync(List<(long Line, string Text)> lines, CancellationToken ct)
    {
        var documents = new List<ModelDocument>(lines.Count);
        var lineOf = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (number, text) in lines)
        {
            var parsed = ImportLine.ParseObject(Encoding.UTF8.GetBytes(text), "a model");
            if (!parsed.IsSuccess)
            {
                Fail("Models", number, parsed.Error);
                continue;
            }
            var name = $"line {number}";
            lineOf[name] = number;
            documents.Add(new ModelDocument(name, text));
        }
        if (documents.Count == 0)
        {
            return 0;
        }
        var added = await models.AddAsync(documents, ct);
        if (!added.IsSuccess)
        {
            // The set is all or nothing, as a POST /models is; the twins that need it will fail one by one.
            FailModels(added.Error, lineOf);
            return 0;
        }
        job.AddModels(added.Value.Count);
        job.Touch(runtime.Time.GetUtcNow());
        return added.Value.Count;
    }

    /// <summary>
    /// One log entry per error of the model set, at the line of the model it is about: each detail names its document
    /// first ("line 12 $.contents[0]: ..."), and the documents were named after their lines.
    /// </summary>
    private void FailModels(DoppelError error, Dictionary<string, long> lineOf)
    {
        if (error.Details.Count == 0)
        {
            Fail("Models", 0, error);
            return;
        }
        foreach (var detail in error.Details)
        {
            var space = detail.Message.StartsWith("line ", StringComparison.Ordinal) ? detail.Message.IndexOf(' ', "line ".Length) : -1;
            if (space > 0 && lineOf.TryGetValue(detail.Message[..space], out var line))
            {
                Fail("Models", line, detail with { Message = detail.Message[(space + 1)..] });
            }
            else
            {
                Fail("Models", 0, detail);
            }
        }
    }

    /// <summary>Validates a chunk (in parallel), waits for the previous chunk's commit, then starts this one's; returns the commit.</summary>
    public async Task<Task> ChunkAsync(string section, LineChunk chunk, Task previous, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            // Let the chunk in flight finish, so the counts and the store agree when the job reports cancelled.
            await previous;
            ct.ThrowIfCancellationRequested();
        }
        var now = runtime.Time.GetUtcNow();
        // The commit only needs line numbers (for errors); the bytes are reused by the next chunk while it runs.
        var lines = chunk.LineNumbers();
        if (section == "Twins")
        {
            var twins = new Result<ValidTwin>[chunk.Count];
            Parallel.For(0, chunk.Count, i => twins[i] = ValidateTwin(chunk.Text(i), now));
            await previous;
            return CommitTwinsAsync(lines, twins, ct);
        }
        var relationships = new Result<PendingRelationship>[chunk.Count];
        Parallel.For(0, chunk.Count, i => relationships[i] = ParseRelationship(chunk.Text(i)));
        await previous;
        return CommitRelationshipsAsync(lines, relationships, ct);
    }

    /// <summary>Logs a line that could not be imported and counts it.</summary>
    public void Fail(string section, long line, DoppelError error)
    {
        log.Error(section, line, error);
        job.AddError();
    }

    private sealed record ValidTwin(TwinDocument Twin, byte[] Utf8Json);

    private Result<ValidTwin> ValidateTwin(ReadOnlySpan<byte> text, DateTimeOffset now)
    {
        if (text.Length > options.MaxTwinRequestBytes)
        {
            return Result<ValidTwin>.Fail("LimitExceeded", $"The twin is larger than {options.MaxTwinRequestBytes} bytes.");
        }
        var parsed = ImportLine.ParseObject(text, "a twin");
        if (!parsed.IsSuccess)
        {
            return parsed.Error;
        }
        var body = parsed.Value;
        if (!body.TryGetProperty("$dtId"u8, out var idElement) || idElement.ValueKind != JsonValueKind.String || idElement.GetString() is not { Length: > 0 } id)
        {
            return Result<ValidTwin>.Fail("ValidationFailed", "A twin must have a non-empty string '$dtId'.");
        }
        if (body.TryGetProperty("$metadata"u8, out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("$model"u8, out var m) && m.ValueKind == JsonValueKind.String
            && runtime.Models.Get(new Dtmi(m.GetString()!)) is { Decommissioned: true })
        {
            return Result<ValidTwin>.Fail("ModelDecommissioned", $"Model '{m.GetString()}' is decommissioned; new twins cannot use it.");
        }
        var created = runtime.Operations.Create(id, body, now, TwinRuntime.NewETag());
        if (!created.IsSuccess)
        {
            return created.Error!;
        }
        // Serialized here, in parallel, rather than in the commit section; the store takes the bytes and the graph does not keep them.
        var twin = created.Value!;
        return Result<ValidTwin>.Ok(new ValidTwin(twin, twin.ToUtf8Json()));
    }

    private async Task CommitTwinsAsync(long[] lines, Result<ValidTwin>[] twins, CancellationToken ct)
    {
        var batch = new StoreBatch();
        var accepted = new List<TwinDocument>(twins.Length);
        var inChunk = new HashSet<string>(StringComparer.Ordinal);
        using (await runtime.Locks.AcquireAllAsync(ct))
        {
            for (var i = 0; i < twins.Length; i++)
            {
                if (!twins[i].IsSuccess)
                {
                    Fail("Twins", lines[i], twins[i].Error!);
                    continue;
                }
                var (twin, utf8Json) = twins[i].Value!;
                if (runtime.Graph.TryGetTwin(twin.Id, out _) || !inChunk.Add(twin.Id))
                {
                    Fail("Twins", lines[i], new DoppelError("DigitalTwinAlreadyExists", $"Twin '{twin.Id}' already exists; an import job only creates twins."));
                    continue;
                }
                batch.PutTwin(twin.Id, utf8Json);
                accepted.Add(twin);
            }
            await runtime.Store.CommitAsync(batch, CancellationToken.None);
            runtime.Graph.PutNewTwins(accepted);
            if (runtime.Rules is { } rules)
            {
                // Imported twins join the scopes of rules (absences start counting) as twins created one by one do.
                foreach (var twin in accepted)
                {
                    rules.OnTwinChanged(null, twin);
                }
            }
        }
        job.AddTwins(accepted.Count);
        job.Touch(runtime.Time.GetUtcNow());
    }

    /// <summary>A parsed relationship line; its etag is drawn here, in parallel, to keep the locked commit section short.</summary>
    private sealed record PendingRelationship(string SourceId, string RelationshipId, string? TargetId, string Name, JsonElement Body, string ETag);

    private Result<PendingRelationship> ParseRelationship(ReadOnlySpan<byte> text)
    {
        if (text.Length > options.MaxTwinRequestBytes)
        {
            return Result<PendingRelationship>.Fail("LimitExceeded", $"The relationship is larger than {options.MaxTwinRequestBytes} bytes.");
        }
        var parsed = ImportLine.ParseObject(text, "a relationship");
        if (!parsed.IsSuccess)
        {
            return parsed.Error;
        }
        var body = parsed.Value;
        if (StringMember(body, "$sourceId"u8) is not { Length: > 0 } sourceId || StringMember(body, "$relationshipId"u8) is not { Length: > 0 } relationshipId)
        {
            return Result<PendingRelationship>.Fail("ValidationFailed", "A relationship must have non-empty strings '$sourceId' and '$relationshipId'.");
        }
        return Result<PendingRelationship>.Ok(new PendingRelationship(sourceId, relationshipId, StringMember(body, "$targetId"u8), StringMember(body, "$relationshipName"u8) ?? "", body, TwinRuntime.NewETag()));
    }

    private static string? StringMember(JsonElement body, ReadOnlySpan<byte> name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private async Task CommitRelationshipsAsync(long[] lines, Result<PendingRelationship>[] pending, CancellationToken ct)
    {
        var batch = new StoreBatch();
        var accepted = new List<RelationshipDocument>(pending.Length);
        var inChunk = new HashSet<(string, string)>();
        var sameNameInChunk = new Dictionary<(string, string), int>();
        using (await runtime.Locks.AcquireAllAsync(ct))
        {
            for (var i = 0; i < pending.Length; i++)
            {
                if (!pending[i].IsSuccess)
                {
                    Fail("Relationships", lines[i], pending[i].Error!);
                    continue;
                }
                var (sourceId, relationshipId, targetId, name, body, etag) = pending[i].Value!;
                if (!runtime.Graph.TryGetTwin(sourceId, out var source))
                {
                    Fail("Relationships", lines[i], new DoppelError("DigitalTwinNotFound", $"There is no digital twin with id '{sourceId}'."));
                    continue;
                }
                if (runtime.Graph.TryGetRelationship(sourceId, relationshipId, out _) || !inChunk.Add((sourceId, relationshipId)))
                {
                    Fail("Relationships", lines[i], new DoppelError("RelationshipAlreadyExists", $"Twin '{sourceId}' already has a relationship '{relationshipId}'; an import job only creates relationships."));
                    continue;
                }
                var key = (sourceId, name);
                var pendingSameName = sameNameInChunk.GetValueOrDefault(key);
                var target = targetId is not null && runtime.Graph.TryGetTwin(targetId, out var found) ? found : null;
                var created = runtime.Operations.CreateRelationship(source, relationshipId, body, target, runtime.Graph.CountOutgoing(sourceId, name) + pendingSameName, etag);
                if (!created.IsSuccess)
                {
                    inChunk.Remove((sourceId, relationshipId));
                    Fail("Relationships", lines[i], created.Error!);
                    continue;
                }
                sameNameInChunk[key] = pendingSameName + 1;
                var relationship = created.Value!;
                batch.PutRelationship(sourceId, relationshipId, relationship.TargetId, relationship.Name, relationship.ToUtf8Json());
                accepted.Add(relationship);
            }
            await runtime.Store.CommitAsync(batch, CancellationToken.None);
            foreach (var relationship in accepted)
            {
                runtime.Graph.PutRelationship(relationship);
            }
        }
        job.AddRelationships(accepted.Count);
        job.Touch(runtime.Time.GetUtcNow());
    }
}
