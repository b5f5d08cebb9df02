using System.Text.Json.Nodes;

namespace Doppel.Server.Runtime;

/// <summary>The state of one import job, in ADT's shape plus Doppel's progress counts.</summary>
public sealed class ImportJob(string id, string inputBlobUri, string outputBlobUri, DateTimeOffset created)
{
    private volatile string _status = "notstarted";
    private long _models;
    private long _twins;
    private long _relationships;
    private long _errors;
    private long _lastActionTicks = created.UtcTicks;

    public string Id { get; } = id;

    public string InputBlobUri { get; } = inputBlobUri;

    public string OutputBlobUri { get; } = outputBlobUri;

    /// <summary>notstarted, running, failed, succeeded, cancelling or cancelled.</summary>
    public string Status { get => _status; internal set => _status = value; }

    public DateTimeOffset CreatedDateTime { get; } = created;

    public DateTimeOffset LastActionDateTime => new(Interlocked.Read(ref _lastActionTicks), TimeSpan.Zero);

    public DateTimeOffset? FinishedDateTime { get; private set; }

    public DoppelError? Error { get; private set; }

    public long ModelsImported => Interlocked.Read(ref _models);

    public long TwinsImported => Interlocked.Read(ref _twins);

    public long RelationshipsImported => Interlocked.Read(ref _relationships);

    /// <summary>Lines that were logged as errors and skipped.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    public bool IsFinished => Status is "succeeded" or "failed" or "cancelled";

    internal CancellationTokenSource Cancellation { get; } = new();

    internal void Touch(DateTimeOffset at) => Interlocked.Exchange(ref _lastActionTicks, at.UtcTicks);

    internal void AddModels(long n) => Interlocked.Add(ref _models, n);

    internal void AddTwins(long n) => Interlocked.Add(ref _twins, n);

    internal void AddRelationships(long n) => Interlocked.Add(ref _relationships, n);

    internal void AddError() => Interlocked.Increment(ref _errors);

    internal void Finish(string status, DateTimeOffset at, DoppelError? error = null)
    {
        FinishedDateTime = at;
        Error = error;
        Touch(at);
        Status = status;
    }

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["inputBlobUri"] = InputBlobUri,
        ["outputBlobUri"] = OutputBlobUri,
        ["status"] = Status,
        ["createdDateTime"] = CreatedDateTime.ToString("O"),
        ["lastActionDateTime"] = LastActionDateTime.ToString("O"),
        ["finishedDateTime"] = FinishedDateTime?.ToString("O"),
        ["purgeDateTime"] = (FinishedDateTime ?? CreatedDateTime).AddDays(3).ToString("O"),
        ["error"] = Error is null ? null : new JsonObject { ["code"] = Error.Code, ["message"] = Error.Message },
        ["modelsImported"] = ModelsImported,
        ["twinsImported"] = TwinsImported,
        ["relationshipsImported"] = RelationshipsImported,
        ["errors"] = Errors,
    };
}
