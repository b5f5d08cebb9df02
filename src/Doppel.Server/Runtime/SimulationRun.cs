using System.Globalization;
using System.Text.Json.Nodes;
using Doppel.Simulation.Experiments;

namespace Doppel.Server.Runtime;

/// <summary>One scenario or experiment run: what was asked, where it stands, and its result once it succeeded.</summary>
public sealed class SimulationRun : IProgress<ExperimentProgress>
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _status;
    private int _completed;
    private int _total;
    private DateTimeOffset? _started;
    private DateTimeOffset? _finishedAt;
    private DoppelError? _error;
    private JsonObject? _result;

    internal SimulationRun(string id, string kind, JsonNode request, int total, DateTimeOffset created, RunWork? work, string status = "queued")
    {
        Id = id;
        Kind = kind;
        Request = request;
        CreatedDateTime = created;
        Work = work;
        _total = total;
        _status = status;
    }

    public string Id { get; }

    /// <summary><c>scenario</c> (a fork of a live twin), <c>experiment</c> (a scenario file) or <c>optimization</c> (the search a scenario file asks for).</summary>
    public string Kind { get; }

    /// <summary>The request as it was posted: the scenario's JSON body, or <c>{"scenarioFile": "..."}</c>.</summary>
    public JsonNode Request { get; }

    public DateTimeOffset CreatedDateTime { get; }

    /// <summary>queued, running, cancelling, succeeded, failed or cancelled.</summary>
    public string Status
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    public bool IsFinished => Status is "succeeded" or "failed" or "cancelled";

    /// <summary>A copy of the result once the run succeeded, else null.</summary>
    public JsonObject? Result
    {
        get
        {
            lock (_lock)
            {
                return _result?.DeepClone().AsObject();
            }
        }
    }

    /// <summary>Why the run failed, or null.</summary>
    public DoppelError? Error
    {
        get
        {
            lock (_lock)
            {
                return _error;
            }
        }
    }

    /// <summary>Completes when the run has finished (in memory; storing it may follow).</summary>
    internal Task Finished => _finished.Task;

    /// <summary>Completes at the run's next change of status or progress: take it before reading the run, and no change is missed.</summary>
    internal Task NextChange
    {
        get
        {
            lock (_lock)
            {
                return _changed.Task;
            }
        }
    }

    internal RunWork? Work { get; }

    internal CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Replications come from worker threads, in any order: the count only grows.</summary>
    void IProgress<ExperimentProgress>.Report(ExperimentProgress value)
    {
        lock (_lock)
        {
            if (value.Completed > _completed || value.Total > _total)
            {
                _completed = Math.Max(_completed, value.Completed);
                _total = Math.Max(_total, value.Total);
                ChangedLocked();
            }
        }
    }

    /// <summary>Moves a queued run to running; false when it is no longer queued (cancelled meanwhile).</summary>
    internal bool TryStart(DateTimeOffset at)
    {
        lock (_lock)
        {
            if (_status != "queued")
            {
                return false;
            }
            _status = "running";
            _started = at;
            ChangedLocked();
            return true;
        }
    }

    /// <summary>Asks the run to stop: a queued run is cancelled at once, a running one is signalled. Returns the status it had.</summary>
    internal string Cancel(DateTimeOffset at)
    {
        string was;
        lock (_lock)
        {
            was = _status;
            if (was == "queued")
            {
                FinishLocked("cancelled", at, null, null);
            }
            else if (was == "running")
            {
                _status = "cancelling";
                ChangedLocked();
            }
        }
        if (was == "queued")
        {
            _finished.TrySetResult();
        }
        else if (was == "running")
        {
            Cancellation.Cancel();
        }
        return was;
    }

    /// <summary>Records the outcome; false when the run had already finished.</summary>
    internal bool TryFinish(string status, DateTimeOffset at, JsonObject? result = null, DoppelError? error = null)
    {
        lock (_lock)
        {
            if (_status is "succeeded" or "failed" or "cancelled")
            {
                return false;
            }
            FinishLocked(status, at, result, error);
        }
        _finished.TrySetResult();
        return true;
    }

    private void FinishLocked(string status, DateTimeOffset at, JsonObject? result, DoppelError? error)
    {
        _status = status;
        _finishedAt = at;
        _result = result;
        _error = error;
        if (status == "succeeded")
        {
            _completed = _total;
        }
        ChangedLocked();
    }

    /// <summary>Wakes whoever waits for a change (continuations run asynchronously, not under the lock).</summary>
    private void ChangedLocked()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    /// <summary>The run's state; with <paramref name="full"/>, also its request and result (what is stored).</summary>
    public JsonObject ToJson(bool full = false)
    {
        lock (_lock)
        {
            var json = new JsonObject
            {
                ["id"] = Id,
                ["kind"] = Kind,
                ["status"] = _status,
                ["createdDateTime"] = Time(CreatedDateTime),
                ["startedDateTime"] = Time(_started),
                ["finishedDateTime"] = Time(_finishedAt),
                ["progress"] = new JsonObject { ["completed"] = _completed, ["total"] = _total },
                ["error"] = _error is null ? null : new JsonObject { ["code"] = _error.Code, ["message"] = _error.Message },
            };
            if (full)
            {
                json["request"] = Request.DeepClone();
                json["result"] = _result?.DeepClone();
            }
            return json;
        }
    }

    /// <summary>A run as <see cref="ToJson"/> stored it (with <c>full</c>); it has no work to do.</summary>
    internal static SimulationRun FromStored(string id, JsonObject json)
    {
        var run = new SimulationRun(id, (string?)json["kind"] ?? "experiment", json["request"]?.DeepClone() ?? new JsonObject(),
            (int?)json["progress"]?["total"] ?? 0, ParseTime(json["createdDateTime"]) ?? DateTimeOffset.UnixEpoch, work: null, (string?)json["status"] ?? "failed")
        {
            _completed = (int?)json["progress"]?["completed"] ?? 0,
            _started = ParseTime(json["startedDateTime"]),
            _finishedAt = ParseTime(json["finishedDateTime"]),
            _result = json["result"]?.DeepClone() as JsonObject,
            _error = json["error"] is JsonObject error ? new DoppelError((string?)error["code"] ?? "", (string?)error["message"] ?? "") : null,
        };
        if (run.IsFinished)
        {
            run._finished.TrySetResult();
        }
        return run;
    }

    private static string? Time(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseTime(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text)
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
            : null;
}
