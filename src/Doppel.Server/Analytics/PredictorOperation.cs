using System.Globalization;
using System.Text.Json.Nodes;

namespace Doppel.Server.Analytics;

/// <summary>A predictor training running in the background: <c>GET /doppel/predictors/{name}/operations/{id}</c>.</summary>
public sealed class PredictorOperation
{
    private readonly Lock _gate = new();
    private string _status = "notstarted";
    private string? _progress;
    private DateTimeOffset _lastActionTime;
    private PredictorVersion? _result;
    private DoppelError? _error;

    internal PredictorOperation(string id, string name, string source, DateTimeOffset created)
    {
        Id = id;
        Name = name;
        Source = source;
        CreatedTime = created;
        _lastActionTime = created;
    }

    public string Id { get; }

    /// <summary>The predictor it trains a new version of.</summary>
    public string Name { get; }

    /// <summary>What it trains on, as the version's training source will say.</summary>
    public string Source { get; }

    public DateTimeOffset CreatedTime { get; }

    /// <summary>"notstarted", "running", "succeeded" or "failed".</summary>
    public string Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>The version it made, once it succeeded.</summary>
    public PredictorVersion? Result
    {
        get
        {
            lock (_gate)
            {
                return _result;
            }
        }
    }

    /// <summary>Why it failed.</summary>
    public DoppelError? Error
    {
        get
        {
            lock (_gate)
            {
                return _error;
            }
        }
    }

    internal void Report(string status, string? progress, DateTimeOffset at)
    {
        lock (_gate)
        {
            _status = status;
            _progress = progress ?? _progress;
            _lastActionTime = at;
        }
    }

    internal void Succeed(PredictorVersion version, DateTimeOffset at)
    {
        lock (_gate)
        {
            _status = "succeeded";
            _result = version;
            _lastActionTime = at;
        }
    }

    internal void Fail(DoppelError error, DateTimeOffset at)
    {
        lock (_gate)
        {
            _status = "failed";
            _error = error;
            _lastActionTime = at;
        }
    }

    public JsonObject ToJson()
    {
        lock (_gate)
        {
            return new JsonObject
            {
                ["id"] = Id,
                ["name"] = Name,
                ["status"] = _status,
                ["source"] = Source,
                ["createdTime"] = CreatedTime.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["lastActionTime"] = _lastActionTime.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["progress"] = _progress,
                ["version"] = _result?.Version,
                ["predictor"] = _result?.ToJson(),
                ["error"] = _error is null ? null : new JsonObject { ["code"] = _error.Code, ["message"] = _error.Message },
            };
        }
    }
}
