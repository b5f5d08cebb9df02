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
        var open = _store.Open().Select(json => Alert.FromJson(JsonNode.Parse(json)!.AsObject())).ToList();
        _engine.Restore(open.Where(a => !IsExternalSource(a.RuleId)));
        foreach (var alert in open.Where(a => IsExternalSource(a.RuleId)))
        {
            _external[(alert.RuleId, alert.TwinId)] = alert;
        }
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
    public int OpenAlerts => _engine.OpenCount + _external.Count;

    // Alerts raised by sources beside the rules (anomaly detectors), by source and twin: at most one open per pair.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Source, string TwinId), Alert> _external = new();

    /// <summary>
    /// A source id of an alert raised beside the rules, e.g. <c>detector:{id}</c>. Rule ids cannot hold ':', so the
    /// two never collide.
    /// </summary>
    public static bool IsExternalSource(string ruleId) => ruleId.Contains(':', StringComparison.Ordinal);

    /// <summary>
    /// Raises an alert from a source beside the rules on a twin, unless one from that source is open there already;
    /// stored and announced as rule alerts are. True when raised.
    /// </summary>
    public bool RaiseExternal(string source, TwinDocument twin, AlertSeverity severity, string message, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(twin);
        if (!IsExternalSource(source))
        {
            throw new ArgumentException($"'{source}' is not an external alert source (it needs a ':').", nameof(source));
        }
        var now = _runtime.Time.GetUtcNow();
        var alert = new Alert(Guid.CreateVersion7(now).ToString(), source, twin.Id, severity, AlertState.Raised, message, value, now)
            .With(new AlertTransition(AlertState.Raised, now, null, null));
        if (!_external.TryAdd((source, twin.Id), alert))
        {
            return false;
        }
        _changes.Writer.TryWrite((new AlertChange(alert, AlertEventTypes.Raised, twin.Model.Value), null));
        return true;
    }

    /// <summary>Resolves the open alert of a source on a twin (every twin when <paramref name="twinId"/> is null), as cleared.</summary>
    public void ResolveExternal(string source, string? twinId, string? note)
    {
        foreach (var key in _external.Keys.Where(k => k.Source == source && (twinId is null || k.TwinId == twinId)).ToList())
        {
            if (_external.TryRemove(key, out var alert))
            {
                var now = _runtime.Time.GetUtcNow();
                var resolved = (alert with { State = AlertState.Resolved, Resolved = new AlertResolution(null, now, AlertResolution.Cleared, note) })
                    .With(new AlertTransition(AlertState.Resolved, now, null, note));
                _changes.Writer.TryWrite((new AlertChange(resolved, AlertEventTypes.Resolved, ModelOf(key.TwinId)), null));
            }
        }
    }

    /// <summary>True when the source has an open alert on the twin.</summary>
    public bool HasExternal(string source, string twinId) => _external.ContainsKey((source, twinId));

    private string ModelOf(string twinId) => _runtime.Graph.TryGetTwin(twinId, out var twin) ? twin.Model.Value : "";

    private KeyValuePair<(string Source, string TwinId), Alert>? FindExternal(string alertId)
    {
        foreach (var entry in _external)
        {
            if (entry.Value.Id == alertId)
            {
                return entry;
            }
        }
        return null;
    }

    /// <summary>Acknowledges or resolves by hand an open alert raised beside the rules; null when the id is not one.</summary>
    private Task<Result<Alert>>? ChangeExternal(string alertId, string? by, string? note, bool resolve)
    {
        if (FindExternal(alertId) is not { } entry)
        {
            return null;
        }
        var now = _runtime.Time.GetUtcNow();
        var alert = entry.Value;
        if (resolve)
        {
            if (!_external.TryRemove(entry))
            {
                return Task.FromResult(Result<Alert>.Fail("AlertNotOpen", $"Alert '{alertId}' is not open."));
            }
            var resolved = (alert with { State = AlertState.Resolved, Resolved = new AlertResolution(by, now, AlertResolution.Manual, note) })
                .With(new AlertTransition(AlertState.Resolved, now, by, note));
            return StoreAsync(Result<AlertChange>.Ok(new AlertChange(resolved, AlertEventTypes.Resolved, ModelOf(entry.Key.TwinId))));
        }
        if (alert.State != AlertState.Raised)
        {
            return Task.FromResult(Result<Alert>.Fail("AlertNotOpen", $"Alert '{alertId}' was acknowledged already."));
        }
        var acknowledged = (alert with { State = AlertState.Acknowledged, Acknowledged = new AlertAcknowledgement(by ?? "", now, note) })
            .With(new AlertTransition(AlertState.Acknowledged, now, by, note));
        if (!_external.TryUpdate(entry.Key, acknowledged, alert))
        {
            return Task.FromResult(Result<Alert>.Fail("AlertNotOpen", $"Alert '{alertId}' changed meanwhile; try again."));
        }
        return StoreAsync(Result<AlertChange>.Ok(new AlertChange(acknowledged, AlertEventTypes.Acknowledged, ModelOf(entry.Key.TwinId))));
    }

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
        if (FindExternal(id) is { } external)
        {
            return external.Value;
        }
        return _store.Get(id) is { } json ? Alert.FromJson(JsonNode.Parse(json)!.AsObject()) : null;
    }

    /// <summary>Alerts matching a search, newest first, before the id <paramref name="beforeId"/> when paging.</summary>
    public IReadOnlyList<Alert> Search(AlertSearch search, string? beforeId, int limit) =>
        [.. _store.Search(search, beforeId, limit).Select(json => Alert.FromJson(JsonNode.Parse(json)!.AsObject()))];

    /// <summary>Acknowledges an open alert; completes once the change is stored.</summary>
    public Task<Result<Alert>> AcknowledgeAsync(string id, string by, string? note) => ChangeExternal(id, by, note, resolve: false) ?? StoreAsync(_engine.Acknowledge(id, by, note));

    /// <summary>Resolves an open alert by hand; completes once the change is stored.</summary>
    public Task<Result<Alert>> ResolveAsync(string id, string? by, string? note) => ChangeExternal(id, by, note, resolve: true) ?? StoreAsync(_engine.Resolve(id, by, note));

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
