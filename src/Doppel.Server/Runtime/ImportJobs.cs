using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Doppel.Modeling;
using Doppel.Server.Runtime.Internal;
using Doppel.Storage;
using Doppel.Twins;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Runtime;

/// <summary>
/// ADT import jobs: models, twins and relationships from an NDJSON file (ADT's bulk format), in the background.
/// </summary>
/// <remarks>
/// <para>Models go through <see cref="ModelService"/> as one set, so references resolve within the file.</para>
/// <para>
/// Twins and relationships bypass the grains: a grain call per item would cap the import far below what SQLite can
/// take. The single-writer guarantee is kept another way: an import only <em>creates</em> (an item that already
/// exists is logged and skipped, never overwritten), every item is validated by the same <see cref="TwinOperations"/>
/// calls as the REST path, and each chunk's existence checks, commit and publication to the graph run while the
/// importer holds every stripe of <see cref="StripedLocks"/>; grains take their twin's stripe around every create and
/// delete, so no grain write interleaves with a chunk. Parsing and validation of the next chunk overlap the commit of
/// the previous one. An item counts as imported only once its chunk is committed (durable).
/// </para>
/// <para>One bad line is logged to the output and skipped, as in ADT; a malformed header or an unreadable input fails the job.</para>
/// </remarks>
public sealed class ImportJobs(TwinRuntime runtime, ModelService models, BulkJobSlot slot, IOptions<DoppelServerOptions> options, ILogger<ImportJobs> logger)
{
    private const int ChunkSize = 8192;

    private static readonly HttpClient Http = new();

    private readonly ConcurrentDictionary<string, ImportJob> _jobs = new(StringComparer.Ordinal);

    public IEnumerable<ImportJob> Jobs => _jobs.Values.OrderBy(j => j.Id, StringComparer.Ordinal);

    public ImportJob? Get(string id) => _jobs.GetValueOrDefault(id);

    /// <summary>Starts a job; refused with JobLimitReached while another bulk job runs.</summary>
    public Result<ImportJob> Start(string id, string inputBlobUri, string outputBlobUri)
    {
        if (ResolveInput(inputBlobUri) is { IsSuccess: false } badInput)
        {
            return badInput.Error!;
        }
        if (ResolveOutput(outputBlobUri) is { IsSuccess: false } badOutput)
        {
            return badOutput.Error!;
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
            var outputPath = ResolveOutput(job.OutputBlobUri).Value!;
            Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
            log = new ImportLog(new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16), job.Id, runtime.Time);
            log.Info(null, "Started");
            await using var input = await OpenInputAsync(ResolveInput(job.InputBlobUri).Value!, ct);
            var reader = new Utf8LineReader(input);
            var failure = await ImportAsync(job, reader, log, ct);
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

    /// <summary>Reads the sections in file order; returns the error that fails the job, or null.</summary>
    private async Task<DoppelError?> ImportAsync(ImportJob job, Utf8LineReader reader, ImportLog log, CancellationToken ct)
    {
        long lineNumber = 0;
        bool more;
        do
        {
            more = await reader.ReadLineAsync(ct);
            lineNumber++;
        }
        while (more && IsBlank(reader.Current.Span));
        if (!more || SectionName(reader.Current.Span) != "Header")
        {
            return new DoppelError("InvalidArgument", $"Line {lineNumber}: an import file must start with {{\"Section\": \"Header\"}}.");
        }
        var headerLine = await reader.ReadLineAsync(ct) ? Encoding.UTF8.GetString(reader.Current.Span) : null;
        lineNumber++;
        if (ParseHeader(headerLine) is { } headerError)
        {
            return new DoppelError("InvalidArgument", $"Line {lineNumber}: {headerError}");
        }

        var section = "Header";
        var modelLines = new List<(long Line, string Text)>();
        // One buffer for the whole job: a chunk's lines are only read while it is validated, before the next is filled.
        var chunk = new LineChunk();
        Task committing = Task.CompletedTask;
        try
        {
            return await ReadSectionsAsync();
        }
        catch (OperationCanceledException)
        {
            try
            {
                await committing;
            }
            catch (OperationCanceledException)
            {
            }
            throw;
        }

        async Task<DoppelError?> ReadSectionsAsync()
        {
            while (await reader.ReadLineAsync(ct))
            {
                lineNumber++;
                if (IsBlank(reader.Current.Span))
                {
                    continue;
                }
                if (SectionName(reader.Current.Span) is { } next)
                {
                    if (next is not ("Models" or "Twins" or "Relationships"))
                    {
                        return new DoppelError("InvalidArgument", $"Line {lineNumber}: unknown section '{next}'; expected Models, Twins or Relationships.");
                    }
                    committing = await EndSectionAsync(job, section, modelLines, chunk, committing, log, ct);
                    await committing;
                    log.Info(next, "Started");
                    section = next;
                    continue;
                }
                switch (section)
                {
                    case "Models":
                        modelLines.Add((lineNumber, Encoding.UTF8.GetString(reader.Current.Span)));
                        break;
                    case "Twins" or "Relationships":
                        chunk.Add(lineNumber, reader.Current.Span);
                        if (chunk.Count == ChunkSize)
                        {
                            committing = await ProcessChunkAsync(job, section, chunk, committing, log, ct);
                            chunk.Clear();
                        }
                        break;
                    default:
                        log.Error("Header", lineNumber, new DoppelError("InvalidArgument", "Only one header object is allowed; line skipped."));
                        job.AddError();
                        break;
                }
            }
            committing = await EndSectionAsync(job, section, modelLines, chunk, committing, log, ct);
            await committing;
            return null;
        }
    }

    private async Task<Task> EndSectionAsync(ImportJob job, string section, List<(long Line, string Text)> modelLines, LineChunk chunk, Task committing, ImportLog log, CancellationToken ct)
    {
        switch (section)
        {
            case "Models":
                await committing;
                var count = await ImportModelsAsync(job, modelLines, log, ct);
                modelLines.Clear();
                log.Info(section, "Succeeded", count);
                return Task.CompletedTask;
            case "Twins" or "Relationships":
                if (chunk.Count > 0)
                {
                    committing = await ProcessChunkAsync(job, section, chunk, committing, log, ct);
                    chunk.Clear();
                }
                await committing;
                log.Info(section, "Succeeded", section == "Twins" ? job.TwinsImported : job.RelationshipsImported);
                return Task.CompletedTask;
            default:
                return committing;
        }
    }

    private async Task<long> ImportModelsAsync(ImportJob job, List<(long Line, string Text)> lines, ImportLog log, CancellationToken ct)
    {
        var documents = new List<ModelDocument>(lines.Count);
        foreach (var (number, text) in lines)
        {
            var parsed = Api.RequestBody.ExpectObject(Api.RequestBody.ParseJson(Encoding.UTF8.GetBytes(text)), "a model");
            if (!parsed.IsSuccess)
            {
                LineError(job, log, "Models", number, parsed.Error!);
                continue;
            }
            documents.Add(new ModelDocument($"line {number}", text));
        }
        if (documents.Count == 0)
        {
            return 0;
        }
        var added = await models.AddAsync(documents, ct);
        if (!added.IsSuccess)
        {
            // The set is all or nothing, as a POST /models is; the twins that need it will fail one by one.
            LineError(job, log, "Models", 0, added.Error!);
            return 0;
        }
        job.AddModels(added.Value!.Count);
        job.Touch(runtime.Time.GetUtcNow());
        return added.Value.Count;
    }

    /// <summary>Validates a chunk (in parallel), waits for the previous chunk's commit, then starts this one's; returns the commit.</summary>
    private async Task<Task> ProcessChunkAsync(ImportJob job, string section, LineChunk chunk, Task previous, ImportLog log, CancellationToken ct)
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
            return CommitTwinsAsync(job, lines, twins, log, ct);
        }
        var relationships = new Result<PendingRelationship>[chunk.Count];
        Parallel.For(0, chunk.Count, i => relationships[i] = ParseRelationship(chunk.Text(i)));
        await previous;
        return CommitRelationshipsAsync(job, lines, relationships, log, ct);
    }

    private Result<ValidTwin> ValidateTwin(ReadOnlySpan<byte> text, DateTimeOffset now)
    {
        if (text.Length > options.Value.MaxTwinRequestBytes)
        {
            return Result<ValidTwin>.Fail("LimitExceeded", $"The twin is larger than {options.Value.MaxTwinRequestBytes} bytes.");
        }
        var parsed = Api.RequestBody.ParseObject(text, "a twin");
        if (!parsed.IsSuccess)
        {
            return parsed.Error!;
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

    private sealed record ValidTwin(TwinDocument Twin, byte[] Utf8Json);

    private async Task CommitTwinsAsync(ImportJob job, long[] lines, Result<ValidTwin>[] twins, ImportLog log, CancellationToken ct)
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
                    LineError(job, log, "Twins", lines[i], twins[i].Error!);
                    continue;
                }
                var (twin, utf8Json) = twins[i].Value!;
                if (runtime.Graph.TryGetTwin(twin.Id, out _) || !inChunk.Add(twin.Id))
                {
                    LineError(job, log, "Twins", lines[i], new DoppelError("DigitalTwinAlreadyExists", $"Twin '{twin.Id}' already exists; an import job only creates twins."));
                    continue;
                }
                batch.PutTwin(twin.Id, utf8Json);
                accepted.Add(twin);
            }
            await runtime.Store.CommitAsync(batch, CancellationToken.None);
            runtime.Graph.PutNewTwins(accepted);
        }
        job.AddTwins(accepted.Count);
        job.Touch(runtime.Time.GetUtcNow());
    }

    /// <summary>A parsed relationship line; its etag is drawn here, in parallel, to keep the locked commit section short.</summary>
    private sealed record PendingRelationship(string SourceId, string RelationshipId, string? TargetId, string Name, JsonElement Body, string ETag);

    private Result<PendingRelationship> ParseRelationship(ReadOnlySpan<byte> text)
    {
        if (text.Length > options.Value.MaxTwinRequestBytes)
        {
            return Result<PendingRelationship>.Fail("LimitExceeded", $"The relationship is larger than {options.Value.MaxTwinRequestBytes} bytes.");
        }
        var parsed = Api.RequestBody.ParseObject(text, "a relationship");
        if (!parsed.IsSuccess)
        {
            return parsed.Error!;
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

    private async Task CommitRelationshipsAsync(ImportJob job, long[] lines, Result<PendingRelationship>[] pending, ImportLog log, CancellationToken ct)
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
                    LineError(job, log, "Relationships", lines[i], pending[i].Error!);
                    continue;
                }
                var (sourceId, relationshipId, targetId, name, body, etag) = pending[i].Value!;
                if (!runtime.Graph.TryGetTwin(sourceId, out var source))
                {
                    LineError(job, log, "Relationships", lines[i], new DoppelError("DigitalTwinNotFound", $"There is no digital twin with id '{sourceId}'."));
                    continue;
                }
                if (runtime.Graph.TryGetRelationship(sourceId, relationshipId, out _) || !inChunk.Add((sourceId, relationshipId)))
                {
                    LineError(job, log, "Relationships", lines[i], new DoppelError("RelationshipAlreadyExists", $"Twin '{sourceId}' already has a relationship '{relationshipId}'; an import job only creates relationships."));
                    continue;
                }
                var key = (sourceId, name);
                var pendingSameName = sameNameInChunk.GetValueOrDefault(key);
                var target = targetId is not null && runtime.Graph.TryGetTwin(targetId, out var found) ? found : null;
                var created = runtime.Operations.CreateRelationship(source, relationshipId, body, target, runtime.Graph.CountOutgoing(sourceId, name) + pendingSameName, etag);
                if (!created.IsSuccess)
                {
                    inChunk.Remove((sourceId, relationshipId));
                    LineError(job, log, "Relationships", lines[i], created.Error!);
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

    private static void LineError(ImportJob job, ImportLog log, string section, long line, DoppelError error)
    {
        log.Error(section, line, error);
        job.AddError();
    }

    /// <summary>Whether a line is empty or white space only (as <see cref="string.IsNullOrWhiteSpace"/> would say of it decoded).</summary>
    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b >= 0x80)
            {
                return string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(line));
            }
            if (!char.IsWhiteSpace((char)b))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>As <see cref="SectionName(string)"/>; decodes only a line that could be a marker.</summary>
    private static string? SectionName(ReadOnlySpan<byte> line)
    {
        // A marker has at most 64 UTF-16 characters: as many bytes when the line is ASCII (nearly every line), at most 192 otherwise.
        if (line.Length > 192 || (line.Length > 64 && Ascii.IsValid(line)))
        {
            return null;
        }
        return SectionName(Encoding.UTF8.GetString(line));
    }

    /// <summary>The section a marker line names ({"Section": "Twins"}), or null when the line is not a marker.</summary>
    private static string? SectionName(string line)
    {
        if (line.Length > 64 || !line.Contains("Section", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name.Equals("Section", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                {
                    var name = property.Value.GetString()!;
                    return name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..].ToLowerInvariant();
                }
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    private static string? ParseHeader(string? line)
    {
        if (line is null)
        {
            return "the header object {\"fileVersion\": \"1.0.0\", ...} is missing.";
        }
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("fileVersion", out var version) || version.ValueKind != JsonValueKind.String)
            {
                return "the header must be an object with a string 'fileVersion' (e.g. {\"fileVersion\": \"1.0.0\", \"author\": \"...\", \"organization\": \"...\"}).";
            }
            return version.GetString() is "1.0.0" ? null : $"fileVersion '{version.GetString()}' is not supported; use 1.0.0.";
        }
        catch (JsonException e)
        {
            return $"the header is not valid JSON: {e.Message}";
        }
    }

    /// <summary>A local path, a file:// URI, or an http(s) URL that the server reads.</summary>
    private static Result<Uri> ResolveInput(string value)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "file")
        {
            return Result<Uri>.Ok(uri);
        }
        return Path.IsPathFullyQualified(value)
            ? Result<Uri>.Ok(new Uri(value))
            : Result<Uri>.Fail("InvalidArgument", $"inputBlobUri '{value}' must be an absolute local path, a file:// URI or an http(s) URL on the server's machine.");
    }

    /// <summary>A local path or a file:// URI the server writes.</summary>
    private static Result<string> ResolveOutput(string value)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.IsFile)
        {
            return Result<string>.Ok(uri.LocalPath);
        }
        return Path.IsPathFullyQualified(value)
            ? Result<string>.Ok(value)
            : Result<string>.Fail("InvalidArgument", $"outputBlobUri '{value}' must be an absolute local path or a file:// URI on the server's machine.");
    }

    /// <summary>The twin or relationship lines of a chunk, as UTF-8 in one buffer reused from chunk to chunk.</summary>
    private sealed class LineChunk
    {
        private readonly List<(long Line, int Start, int Length)> _lines = new(ChunkSize);
        private byte[] _bytes = new byte[1 << 20];
        private int _used;

        public int Count => _lines.Count;

        public void Add(long line, ReadOnlySpan<byte> utf8)
        {
            if (!Utf8.IsValid(utf8))
            {
                // What a StreamReader made of it: invalid sequences replaced by U+FFFD.
                utf8 = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(utf8));
            }
            if (_used + utf8.Length > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + utf8.Length));
            }
            utf8.CopyTo(_bytes.AsSpan(_used));
            _lines.Add((line, _used, utf8.Length));
            _used += utf8.Length;
        }

        public ReadOnlySpan<byte> Text(int i)
        {
            var (_, start, length) = _lines[i];
            return _bytes.AsSpan(start, length);
        }

        public long[] LineNumbers()
        {
            var numbers = new long[_lines.Count];
            for (var i = 0; i < numbers.Length; i++)
            {
                numbers[i] = _lines[i].Line;
            }
            return numbers;
        }

        public void Clear()
        {
            _lines.Clear();
            _used = 0;
        }
    }

    private static async Task<Stream> OpenInputAsync(Uri input, CancellationToken ct) =>
        input.IsFile
            ? new FileStream(input.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: false)
            : await Http.GetStreamAsync(input, ct);
}
