using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Doppel.Events;
using Doppel.History;
using Doppel.Modeling;
using Doppel.Rules;
using Doppel.Server.Observability;
using Doppel.Storage;
using Doppel.Twins;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Runtime;

/// <summary>
/// The server's side of rules and alerts: rules and alerts kept in <c>alerts.db</c>, the <see cref="RuleEngine"/> fed by
/// ingest and twin writes, and every alert transition stored (group-committed by one writer) and then announced as a
/// CloudEvent on <see cref="TwinRuntime.Events"/> (live streams and event routes) and in the metrics.
/// </summary>
public sealed class RuleMonitor : IHostedService, IDisposable
{
    private readonly TwinRuntime _runtime;
    private readonly DoppelMetrics _metrics;
    private readonly ILogger<RuleMonitor> _log;
    private readonly SqliteAlertStore _store;
    private readonly RuleEngine _engine;
    private readonly Lock _rulesGate = new();
    private readonly Channel<(AlertChange Change, TaskCompletionSource? Stored)> _changes =
        Channel.CreateUnbounded<(AlertChange, TaskCompletionSource?)>(new UnboundedChannelOptions { SingleReader = true });

    private Task _writer = Task.CompletedTask;

    public RuleMonitor(TwinRuntime runtime, DoppelMetrics metrics, IOptions<DoppelServerOptions> options, ILogger<RuleMonitor> log)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(options);
        _runtime = runtime;
        _metrics = metrics;
        _log = log;
        _store = SqliteAlertStore.Open(options.Value.DataDirectory);
        _engine = new RuleEngine(runtime.Graph, runtime.Models, runtime.Time, change => _changes.Writer.TryWrite((change, null)),
            new RuleEngineOptions { ReopenWithin = options.Value.AlertReopenWithin }, runtime.Live);
        // Open alerts first, so that each continues as its rule's state on its twin once the rule is back.
        _engine.Restore(_store.Open().Select(json => Alert.FromJson(JsonNode.Parse(json)!.AsObject())));
        foreach (var (id, document) in _store.Rules())
        {
            var rule = Load(id, document);
            if (rule.IsSuccess)
            {
                _engine.Put(rule.Value);
            }
            else
            {
                _log.RuleLeftOut(id, rule.Error.Message);
            }
        }
        runtime.Rules = this;
    }

    /// <summary>Alerts open now.</summary>
    public int OpenAlerts => _engine.OpenCount;

    /// <summary>The rules, by id.</summary>
    public IReadOnlyList<AlertRule> List() => [.. _engine.Rules.OrderBy(r => r.Id, StringComparer.Ordinal)];

    public AlertRule? Get(string id) => _engine.Rules.FirstOrDefault(r => r.Id == id);

    /// <summary>Reads a rule document against the models loaded now.</summary>
    public Result<AlertRule> Parse(string id, string text) => AlertRule.Parse(id, text, ModelAndSubtypes);

    /// <summary>Creates or replaces a rule (stored, then in force); true when it was created.</summary>
    public (AlertRule Rule, bool Created) Put(AlertRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_rulesGate)
        {
            var now = _runtime.Time.GetUtcNow();
            var existing = Get(rule.Id);
            var stamped = rule.Stamped(TwinRuntime.NewETag(), existing?.CreatedTime ?? now, now);
            _store.PutRule(rule.Id, stamped.ToJson().ToJsonString());
            _engine.Put(stamped);
            return (stamped, existing is null);
        }
    }

    /// <summary>Deletes a rule; its open alerts are resolved. False when there is no such rule.</summary>
    public bool Delete(string id)
    {
        lock (_rulesGate)
        {
            if (Get(id) is null)
            {
                return false;
            }
            _store.DeleteRule(id);
            return _engine.Remove(id);
        }
    }

    /// <summary>Replays a rule over history (the rule need not be stored).</summary>
    public Task<BacktestResult> BacktestAsync(AlertRule rule, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        RuleBacktest.RunAsync(rule, _runtime.Graph, _runtime.Models, _runtime.History, from, to, ct);

    /// <summary>An alert, open or not; null when there is none with that id.</summary>
    public Alert? Find(string id)
    {
        if (_engine.OpenAlert(id) is { } open)
        {
            return open;
        }
        return _store.Get(id) is { } json ? Alert.FromJson(JsonNode.Parse(json)!.AsObject()) : null;
    }

    /// <summary>Alerts matching a search, newest first, before the id <paramref name="beforeId"/> when paging.</summary>
    public IReadOnlyList<Alert> Search(AlertSearch search, string? beforeId, int limit) =>
        [.. _store.Search(search, beforeId, limit).Select(json => Alert.FromJson(JsonNode.Parse(json)!.AsObject()))];

    /// <summary>Acknowledges an open alert; completes once the change is stored.</summary>
    public Task<Result<Alert>> AcknowledgeAsync(string id, string by, string? note) => StoreAsync(_engine.Acknowledge(id, by, note));

    /// <summary>Resolves an open alert by hand; completes once the change is stored.</summary>
    public Task<Result<Alert>> ResolveAsync(string id, string? by, string? note) => StoreAsync(_engine.Resolve(id, by, note));

    /// <summary>Telemetry points of a twin, once durable.</summary>
    public void OnTelemetry(TwinDocument twin, IReadOnlyList<HistoryPoint> points) =>
        Evaluate(static (engine, change) => engine.OnPoints(change.twin, change.points), (twin, points), twin.Id);

    /// <summary>A twin was created, changed or deleted (<paramref name="after"/> null), once committed.</summary>
    public void OnTwinChanged(TwinDocument? before, TwinDocument? after) =>
        Evaluate(static (engine, change) => engine.OnTwinChanged(change.before, change.after), (before, after), after?.Id ?? before?.Id ?? "");

    /// <summary>
    /// Runs the engine on a change that is durable already: a fault in a rule is logged and must not fail the reading
    /// or the write that caused it. Timed only when some rule was evaluated. Static delegates with the change as state,
    /// so the ingest path allocates no closure per message.
    /// </summary>
    private void Evaluate<TChange>(Action<RuleEngine, TChange> evaluate, TChange change, string twinId)
    {
        if (_engine.Rules.Count == 0)
        {
            return;
        }
        var started = Stopwatch.GetTimestamp();
        var before = _engine.Evaluations;
        try
        {
            evaluate(_engine, change);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.RuleEvaluationFailed(e, twinId);
            return;
        }
        if (_engine.Evaluations != before)
        {
            _metrics.RuleEvaluation.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>A relationship of the twin changed.</summary>
    public void OnRelationshipChanged(string sourceId)
    {
        if (_engine.Rules.Count > 0)
        {
            _engine.OnRelationshipChanged(sourceId);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writer = Task.Run(WriteAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _changes.Writer.TryComplete();
        await _writer.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _changes.Writer.TryComplete();
        _engine.Dispose();
        _store.Dispose();
    }

    private async Task<Result<Alert>> StoreAsync(Result<AlertChange> change)
    {
        if (!change.IsSuccess)
        {
            return change.Error;
        }
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_changes.Writer.TryWrite((change.Value, stored)))
        {
            return Result<Alert>.Fail("ServiceUnavailable", "The server is stopping.");
        }
        await stored.Task;
        return Result<Alert>.Ok(change.Value.Alert);
    }

    /// <summary>The one writer: stores what is queued in one transaction, then announces it, in order.</summary>
    private async Task WriteAsync()
    {
        var batch = new List<(AlertChange Change, TaskCompletionSource? Stored)>();
        while (await _changes.Reader.WaitToReadAsync())
        {
            while (batch.Count < 1000 && _changes.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            while (true)
            {
                try
                {
                    _store.Write([.. batch.Select(b => ToStored(b.Change.Alert))]);
                    break;
                }
                catch (Microsoft.Data.Sqlite.SqliteException e)
                {
                    _log.AlertWriteFailed(e);
                    await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System);
                }
            }
            foreach (var (change, stored) in batch)
            {
                Announce(change);
                stored?.TrySetResult();
            }
            batch.Clear();
        }
    }

    private void Announce(AlertChange change)
    {
        var alert = change.Alert;
        var severity = new KeyValuePair<string, object?>("severity", alert.Severity.Name());
        var counter = change.Type switch
        {
            AlertEventTypes.Raised => _metrics.AlertsRaised,
            AlertEventTypes.Acknowledged => _metrics.AlertsAcknowledged,
            _ => _metrics.AlertsResolved,
        };
        counter.Add(1, severity);
        if (_runtime.Events.HasSubscribers)
        {
            var time = alert.Transitions.Count > 0 ? alert.Transitions[^1].Time : alert.RaisedTime;
            var data = System.Text.Encoding.UTF8.GetBytes(alert.ToJson().ToJsonString());
            _runtime.Events.Publish(new TwinEvent(Guid.CreateVersion7().ToString(), change.Type, alert.TwinId, change.ModelId, alert.TwinId, time, data));
        }
    }

    private static StoredAlert ToStored(Alert alert) =>
        new(alert.Id, alert.RuleId, alert.TwinId, alert.Severity.Name(), alert.State.Name(), alert.RaisedTime, alert.ToJson(transitions: true).ToJsonString());

    private Result<AlertRule> Load(string id, string document)
    {
        var parsed = Parse(id, document);
        if (!parsed.IsSuccess)
        {
            return parsed;
        }
        var json = JsonNode.Parse(document)!.AsObject();
        return Result<AlertRule>.Ok(parsed.Value.Stamped((string?)json["etag"] ?? TwinRuntime.NewETag(),
            json["createdTime"] is { } created ? DateTimeOffset.Parse((string)created!, System.Globalization.CultureInfo.InvariantCulture) : _runtime.Time.GetUtcNow(),
            json["lastUpdatedTime"] is { } updated ? DateTimeOffset.Parse((string)updated!, System.Globalization.CultureInfo.InvariantCulture) : _runtime.Time.GetUtcNow()));
    }

    private IReadOnlySet<string> ModelAndSubtypes(string dtmi)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in _runtime.Models.SelfAndDescendants(new Dtmi(dtmi)))
        {
            ids.Add(model.Value);
        }
        return ids;
    }
}
