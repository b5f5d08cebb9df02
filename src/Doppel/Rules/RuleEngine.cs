using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.History;
using Doppel.Ingest;
using Doppel.Modeling;
using Doppel.Rules.Internal;
using Doppel.Twins;

namespace Doppel.Rules;

/// <summary>
/// Evaluates alert rules incrementally: each telemetry message and twin change re-evaluates only the rules whose scope
/// covers that twin and that read a changed name; durations, absences and windows wake on timers of the injected clock.
/// Every alert transition is handed to the sink given at construction, on the thread that caused it.
/// </summary>
/// <remarks>Thread-safe: each twin's state has its own lock; rules are swapped whole.</remarks>
public sealed class RuleEngine : IDisposable
{
    private readonly TwinGraph _graph;
    private readonly ModelCatalog _models;
    private readonly TimeProvider _time;
    private readonly Action<AlertChange> _changed;
    private readonly RuleEngineOptions _options;
    private readonly LiveTelemetry? _live;
    private readonly bool _replay;
    private readonly Lock _rulesGate = new();
    private volatile AlertRule[] _rules = [];
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _members = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TwinWatch> _twins = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string TwinId, string RuleId)> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string RuleId, string TwinId), Alert> _restored = new();

    /// <param name="graph">The twins (their model, properties and relationships).</param>
    /// <param name="models">The catalog, for model scopes and IS_OF_MODEL.</param>
    /// <param name="time">The domain clock: raise times, durations, absences and windows.</param>
    /// <param name="changed">Receives every alert transition.</param>
    /// <param name="options">Flapping suppression.</param>
    /// <param name="live">Newest telemetry known at start, so an absence counts from the last point seen before a restart.</param>
    public RuleEngine(TwinGraph graph, ModelCatalog models, TimeProvider time, Action<AlertChange> changed, RuleEngineOptions? options = null, LiveTelemetry? live = null)
        : this(graph, models, time, changed, options, live, replay: false)
    {
    }

    internal RuleEngine(TwinGraph graph, ModelCatalog models, TimeProvider time, Action<AlertChange> changed, RuleEngineOptions? options, LiveTelemetry? live, bool replay)
    {
        _graph = graph ?? throw new ArgumentNullException(nameof(graph));
        _models = models ?? throw new ArgumentNullException(nameof(models));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _changed = changed ?? throw new ArgumentNullException(nameof(changed));
        _options = options ?? new RuleEngineOptions();
        _live = live;
        _replay = replay;
        _related = id => _graph.TryGetTwin(id, out var twin) ? Observe(twin, _twins.TryGetValue(id, out var watch) ? watch.Latest : _live?.Get(id), null) : null;
        _outgoing = (id, name) => _graph.Outgoing(id, name);
    }

    // Made once: conditions comparing across relationships read related twins through these.
    private readonly Func<string, JsonObject?> _related;
    private readonly Func<string, string, IReadOnlyList<RelationshipDocument>> _outgoing;

    /// <summary>The rules in force, by id.</summary>
    public IReadOnlyList<AlertRule> Rules => _rules;

    /// <summary>How many alerts are open.</summary>
    public int OpenCount => _open.Count;

    /// <summary>Evaluations run since start (each rule on each twin once counts one).</summary>
    public long Evaluations => Interlocked.Read(ref _evaluations);

    private long _evaluations;

    /// <summary>Open alerts loaded at start: each continues as the state of its rule on its twin once the rule is put.</summary>
    public void Restore(IEnumerable<Alert> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        foreach (var alert in open.Where(a => a.IsOpen))
        {
            _restored[(alert.RuleId, alert.TwinId)] = alert;
            _open[alert.Id] = (alert.TwinId, alert.RuleId);
        }
    }

    /// <summary>Adds or replaces a rule, then evaluates it once on every twin in its scope (the scope query runs here, once).</summary>
    public void Put(AlertRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_rulesGate)
        {
            if (rule.CompiledScope is { } scope)
            {
                var members = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
                foreach (var twin in _graph.Twins)
                {
                    if (scope.Covers(twin))
                    {
                        members[twin.Id] = 0;
                    }
                }
                _members[rule.Id] = members;
            }
            else
            {
                _members.TryRemove(rule.Id, out _);
            }
            var index = Array.FindIndex(_rules, r => r.Id == rule.Id);
            _rules = index < 0 ? [.. _rules, rule] : [.. _rules[..index], rule, .. _rules[(index + 1)..]];
        }
        // Twins it watched before and no longer covers let their alerts go.
        foreach (var watch in _twins.Values)
        {
            lock (watch.Gate)
            {
                if (watch.Rules.TryGetValue(rule.Id, out var state) && (!_graph.TryGetTwin(watch.Id, out var twin) || !Covers(rule, twin)))
                {
                    Drop(watch, state, "the twin left the rule's scope or the rule was disabled");
                }
            }
        }
        if (!rule.Enabled)
        {
            return;
        }
        foreach (var twin in _graph.Twins)
        {
            if (Covers(rule, twin))
            {
                var watch = Watch(twin.Id);
                lock (watch.Gate)
                {
                    Evaluate(watch, twin, [rule]);
                }
            }
        }
    }

    /// <summary>Removes a rule; its open alerts are resolved. False when there was no such rule.</summary>
    public bool Remove(string ruleId)
    {
        lock (_rulesGate)
        {
            var index = Array.FindIndex(_rules, r => r.Id == ruleId);
            if (index < 0)
            {
                return false;
            }
            _rules = [.. _rules[..index], .. _rules[(index + 1)..]];
            _members.TryRemove(ruleId, out _);
        }
        foreach (var watch in _twins.Values)
        {
            lock (watch.Gate)
            {
                if (watch.Rules.TryGetValue(ruleId, out var state))
                {
                    Drop(watch, state, "the rule was deleted");
                }
            }
        }
        return true;
    }

    /// <summary>Telemetry (or, when replaying history, any points) of a twin, once durable.</summary>
    public void OnPoints(TwinDocument twin, IReadOnlyList<HistoryPoint> points)
    {
        ArgumentNullException.ThrowIfNull(twin);
        ArgumentNullException.ThrowIfNull(points);
        var rules = RulesFor(twin);
        if (rules.Count > 0)
        {
            var watch = Watch(twin.Id);
            lock (watch.Gate)
            {
                var now = _time.GetUtcNow();
                var latest = new Dictionary<string, HistoryPoint>(watch.Latest, StringComparer.Ordinal);
                watch.Stamp++;
                for (var i = 0; i < points.Count; i++)
                {
                    var point = points[i];
                    if (!latest.TryGetValue(point.Name, out var held) || held.Time <= point.Time)
                    {
                        latest[point.Name] = point;
                    }
                    if (point.Kind == HistoryKind.Telemetry)
                    {
                        // Live, a point is seen when it arrives; replayed, at its own time (where history stood before the replay counts too).
                        var seen = _replay ? point.Time : now;
                        if (!watch.Seen.TryGetValue(point.Name, out var last) || last < seen)
                        {
                            watch.Seen[point.Name] = seen;
                        }
                        if (!watch.Seen.TryGetValue("", out var any) || any < seen)
                        {
                            watch.Seen[""] = seen;
                        }
                    }
                    if (point.Number is { } number)
                    {
                        AddToSeries(watch, rules, i, point, number);
                    }
                }
                watch.Latest = latest;
                List<AlertRule>? reading = null;
                foreach (var rule in rules)
                {
                    if (ReadsAny(rule, points))
                    {
                        (reading ??= []).Add(rule);
                    }
                }
                if (reading is not null)
                {
                    Evaluate(watch, twin, reading);
                }
            }
        }
        if (HasJoins())
        {
            EvaluateSourcesOf(twin.Id);
        }
    }

    /// <summary>A twin was created, changed or deleted (<paramref name="after"/> null), once committed.</summary>
    public void OnTwinChanged(TwinDocument? before, TwinDocument? after)
    {
        var id = after?.Id ?? before?.Id ?? throw new ArgumentException("A change has a twin before or after it.");
        if (after is null)
        {
            foreach (var members in _members.Values)
            {
                members.TryRemove(id, out _);
            }
            if (_twins.TryRemove(id, out var gone))
            {
                lock (gone.Gate)
                {
                    gone.Removed = true;
                    foreach (var state in gone.Rules.Values.ToList())
                    {
                        Drop(gone, state, "the twin was deleted");
                    }
                }
            }
            return;
        }
        foreach (var rule in _rules)
        {
            if (rule.CompiledScope is { } scope && _members.TryGetValue(rule.Id, out var members))
            {
                if (scope.Covers(after))
                {
                    members[id] = 0;
                }
                else
                {
                    members.TryRemove(id, out _);
                }
            }
        }
        var rules = RulesFor(after);
        var fresh = before is null || before.Model != after.Model;
        if (_twins.TryGetValue(id, out var existing))
        {
            lock (existing.Gate)
            {
                foreach (var state in existing.Rules.Values.ToList())
                {
                    if (!rules.Exists(r => r.Id == state.Rule.Id))
                    {
                        Drop(existing, state, "the twin left the rule's scope");
                    }
                }
            }
        }
        if (rules.Count > 0)
        {
            var changed = fresh ? null : ChangedNames(before!, after);
            var evaluate = rules.Where(r => changed is null || r.Reads.Overlaps(changed)
                || (fresh && NeedsTimers(r))).ToList();
            if (evaluate.Count > 0)
            {
                var watch = Watch(id);
                lock (watch.Gate)
                {
                    Evaluate(watch, after, evaluate);
                }
            }
        }
        if (HasJoins())
        {
            EvaluateSourcesOf(id);
        }
    }

    /// <summary>A relationship of <paramref name="sourceId"/> was created, changed or deleted: conditions comparing across relationships are evaluated again.</summary>
    public void OnRelationshipChanged(string sourceId)
    {
        if (!HasJoins() || !_graph.TryGetTwin(sourceId, out var twin))
        {
            return;
        }
        var rules = RulesFor(twin).Where(r => r.ConditionExpression.Joins.Count > 0 || r.ClearExpression?.Joins.Count > 0).ToList();
        if (rules.Count > 0)
        {
            var watch = Watch(sourceId);
            lock (watch.Gate)
            {
                Evaluate(watch, twin, rules);
            }
        }
    }

    /// <summary>Acknowledges an open alert.</summary>
    public Result<AlertChange> Acknowledge(string alertId, string by, string? note)
    {
        return Change(alertId, (watch, state, alert, now) =>
        {
            if (alert.State != AlertState.Raised)
            {
                return Result<AlertChange>.Fail("AlertNotOpen", $"Alert '{alertId}' was acknowledged already.");
            }
            var acknowledged = (alert with { State = AlertState.Acknowledged, Acknowledged = new AlertAcknowledgement(by, now, note) }).With(new AlertTransition(AlertState.Acknowledged, now, by, note));
            state.Alert = acknowledged;
            return Result<AlertChange>.Ok(new AlertChange(acknowledged, AlertEventTypes.Acknowledged, ModelOf(watch.Id)));
        });
    }

    /// <summary>Resolves an open alert by hand; its rule raises again on this twin only after the condition has cleared.</summary>
    public Result<AlertChange> Resolve(string alertId, string? by, string? note)
    {
        return Change(alertId, (watch, state, alert, now) =>
        {
            var resolved = Resolved(alert, now, by, AlertResolution.Manual, note);
            state.Alert = null;
            state.LastCleared = null;
            _open.TryRemove(alertId, out _);
            return Result<AlertChange>.Ok(new AlertChange(resolved, AlertEventTypes.Resolved, ModelOf(watch.Id)));
        });
    }

    /// <summary>The open alert with this id, when it is open.</summary>
    public Alert? OpenAlert(string alertId)
    {
        if (!_open.TryGetValue(alertId, out var at))
        {
            return null;
        }
        if (_twins.TryGetValue(at.TwinId, out var watch))
        {
            lock (watch.Gate)
            {
                if (watch.Rules.TryGetValue(at.RuleId, out var state) && state.Alert?.Id == alertId)
                {
                    return state.Alert;
                }
            }
        }
        return _restored.TryGetValue((at.RuleId, at.TwinId), out var restored) && restored.Id == alertId ? restored : null;
    }

    public void Dispose()
    {
        foreach (var watch in _twins.Values)
        {
            lock (watch.Gate)
            {
                foreach (var state in watch.Rules.Values)
                {
                    state.Disposed = true;
                    state.Timer?.Dispose();
                }
            }
        }
    }

    private Result<AlertChange> Change(string alertId, Func<TwinWatch, RuleWatch, Alert, DateTimeOffset, Result<AlertChange>> change)
    {
        if (!_open.TryGetValue(alertId, out var at))
        {
            return Result<AlertChange>.Fail("AlertNotOpen", $"Alert '{alertId}' is not open.");
        }
        if (!_twins.TryGetValue(at.TwinId, out var watch) && _restored.ContainsKey((at.RuleId, at.TwinId)))
        {
            watch = Watch(at.TwinId);
        }
        if (watch is null)
        {
            return Result<AlertChange>.Fail("AlertNotOpen", $"Alert '{alertId}' is not open.");
        }
        lock (watch.Gate)
        {
            if (!watch.Rules.TryGetValue(at.RuleId, out var state))
            {
                // Its rule has not been evaluated on the twin since a restart: the restored alert becomes its state now.
                var rule = _rules.FirstOrDefault(r => r.Id == at.RuleId);
                if (rule is null || !_restored.TryRemove((at.RuleId, at.TwinId), out var restored))
                {
                    return Result<AlertChange>.Fail("AlertNotOpen", $"Alert '{alertId}' is not open.");
                }
                state = new RuleWatch(watch, rule) { Alert = restored, Latched = true };
                watch.Rules[rule.Id] = state;
            }
            if (state.Alert is not { } alert || alert.Id != alertId)
            {
                return Result<AlertChange>.Fail("AlertNotOpen", $"Alert '{alertId}' is not open.");
            }
            return change(watch, state, alert, _time.GetUtcNow());
        }
    }

    private bool HasJoins()
    {
        foreach (var rule in _rules)
        {
            if (rule.ConditionExpression.Joins.Count > 0 || rule.ClearExpression?.Joins.Count > 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Re-evaluates the join rules of twins whose relationships (of a name a rule joins over) point at <paramref name="targetId"/>.</summary>
    private void EvaluateSourcesOf(string targetId)
    {
        foreach (var relationship in _graph.Incoming(targetId))
        {
            if (!_graph.TryGetTwin(relationship.SourceId, out var source))
            {
                continue;
            }
            var rules = RulesFor(source).Where(r => JoinsOver(r, relationship.Name)).ToList();
            if (rules.Count == 0)
            {
                continue;
            }
            var watch = Watch(source.Id);
            lock (watch.Gate)
            {
                Evaluate(watch, source, rules);
            }
        }
    }

    private static bool JoinsOver(AlertRule rule, string relationship) =>
        rule.ConditionExpression.Joins.Any(j => j.RelationshipName == relationship) || (rule.ClearExpression?.Joins.Any(j => j.RelationshipName == relationship) ?? false);

    private List<AlertRule> RulesFor(TwinDocument twin)
    {
        List<AlertRule>? rules = null;
        foreach (var rule in _rules)
        {
            if (Covers(rule, twin))
            {
                (rules ??= []).Add(rule);
            }
        }
        return rules ?? Empty;
    }

    private static readonly List<AlertRule> Empty = [];

    internal bool Covers(AlertRule rule, TwinDocument twin)
    {
        if (!rule.Enabled)
        {
            return false;
        }
        if (rule.ScopeDtmi is { } model)
        {
            return twin.Model == model || _models.SelfAndDescendants(model).Contains(twin.Model);
        }
        return _members.TryGetValue(rule.Id, out var members) && members.ContainsKey(twin.Id);
    }

    private static bool ReadsAny(AlertRule rule, IReadOnlyList<HistoryPoint> points)
    {
        if (NeedsTimers(rule))
        {
            return true;
        }
        for (var i = 0; i < points.Count; i++)
        {
            if (rule.Reads.Contains(points[i].Name))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Absences must be armed on every twin in scope, before any point arrives.</summary>
    private static bool NeedsTimers(AlertRule rule) =>
        rule.Functions.Any(f => f.Kind == RuleFunctionKind.Absent);

    private TwinWatch Watch(string twinId) => _twins.GetOrAdd(twinId, id =>
    {
        var watch = new TwinWatch(id, _time.GetUtcNow());
        if (_live is not null)
        {
            // After a restart an absence counts from the last point history holds, not from the start.
            var latest = _live.Get(id);
            if (latest.Count > 0)
            {
                watch.Latest = new Dictionary<string, HistoryPoint>(latest, StringComparer.Ordinal);
                foreach (var (name, point) in latest)
                {
                    watch.Seen[name] = point.Time;
                    if (!watch.Seen.TryGetValue("", out var any) || any < point.Time)
                    {
                        watch.Seen[""] = point.Time;
                    }
                }
            }
        }
        return watch;
    });

    private static void AddToSeries(TwinWatch watch, List<AlertRule> rules, int index, HistoryPoint point, double value)
    {
        foreach (var rule in rules)
        {
            foreach (var function in rule.Functions)
            {
                if (!function.NeedsSeries || function.Name != point.Name)
                {
                    continue;
                }
                if (!watch.Series.TryGetValue(function.SeriesKey, out var series))
                {
                    series = new Series(function.Window);
                    watch.Series[function.SeriesKey] = series;
                }
                if (series.Last != (watch.Stamp, index))
                {
                    series.Last = (watch.Stamp, index);
                    series.Add(point.Time, value);
                }
            }
        }
    }

    /// <summary>Evaluates rules on a twin under its lock: one observed document for all of them.</summary>
    private void Evaluate(TwinWatch watch, TwinDocument twin, List<AlertRule> rules)
    {
        if (watch.Removed)
        {
            return;
        }
        var now = _time.GetUtcNow();
        var document = Observe(twin, watch.Latest, rules);
        foreach (var rule in rules)
        {
            if (!watch.Rules.TryGetValue(rule.Id, out var state))
            {
                state = new RuleWatch(watch, rule);
                if (_restored.TryRemove((rule.Id, twin.Id), out var restored))
                {
                    state.Alert = restored;
                    state.Latched = true;
                }
                watch.Rules[rule.Id] = state;
            }
            else if (!ReferenceEquals(state.Rule, rule))
            {
                // The rule was replaced: its alert stays, a pending duration starts over.
                state.Rule = rule;
                state.HoldsSince = null;
            }
            Step(watch, state, twin, document, now);
        }
    }

    private void Step(TwinWatch watch, RuleWatch state, TwinDocument twin, JsonObject document, DateTimeOffset now)
    {
        Interlocked.Increment(ref _evaluations);
        var rule = state.Rule;
        var (holds, value) = Holds(rule.ConditionExpression, watch, document, now);
        if (state.Latched)
        {
            var clears = rule.ClearExpression is { } clear ? Holds(clear, watch, document, now).Holds : !holds;
            if (clears)
            {
                state.Latched = false;
                state.HoldsSince = null;
                if (state.Alert is { } open)
                {
                    var resolved = Resolved(open, now, null, AlertResolution.Cleared, null);
                    state.Alert = null;
                    state.LastCleared = resolved;
                    _open.TryRemove(open.Id, out _);
                    _changed(new AlertChange(resolved, AlertEventTypes.Resolved, twin.Model.Value));
                }
            }
        }
        else if (holds)
        {
            state.HoldsSince ??= now;
            if (rule.For is not { } duration || now - state.HoldsSince.Value >= duration)
            {
                Raise(state, twin, document, value, now);
            }
        }
        else
        {
            state.HoldsSince = null;
        }
        Schedule(watch, state, now);
    }

    private void Raise(RuleWatch state, TwinDocument twin, JsonObject document, JsonNode? value, DateTimeOffset now)
    {
        var rule = state.Rule;
        state.Latched = true;
        var message = Render(rule, twin.Id, document, value);
        Alert alert;
        if (state.LastCleared is { } last && last.Resolved is { } cleared && now - cleared.Time <= _options.ReopenWithin)
        {
            var after = (now - cleared.Time).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            alert = (last with { State = AlertState.Raised, Resolved = null, Acknowledged = null, Message = message, Value = value?.DeepClone() })
                .With(new AlertTransition(AlertState.Raised, now, null, $"reopened: the condition held again {after} s after it cleared"));
        }
        else
        {
            alert = new Alert(Guid.CreateVersion7(now).ToString(), rule.Id, twin.Id, rule.Severity, AlertState.Raised, message, value?.DeepClone(), now)
            {
                Transitions = [new AlertTransition(AlertState.Raised, now, null, null)],
            };
        }
        state.LastCleared = null;
        state.Alert = alert;
        _open[alert.Id] = (twin.Id, rule.Id);
        _changed(new AlertChange(alert, AlertEventTypes.Raised, twin.Model.Value));
    }

    private static Alert Resolved(Alert alert, DateTimeOffset now, string? by, string reason, string? note) =>
        (alert with { State = AlertState.Resolved, Resolved = new AlertResolution(by, now, reason, note) }).With(new AlertTransition(AlertState.Resolved, now, by, note));

    /// <summary>Stops watching a rule on a twin; its open alert is resolved (by nobody, with why).</summary>
    private void Drop(TwinWatch watch, RuleWatch state, string why)
    {
        state.Disposed = true;
        state.Timer?.Dispose();
        watch.Rules.Remove(state.Rule.Id);
        if (state.Alert is { } open)
        {
            _open.TryRemove(open.Id, out _);
            _changed(new AlertChange(Resolved(open, _time.GetUtcNow(), null, AlertResolution.Manual, why), AlertEventTypes.Resolved, ModelOf(watch.Id)));
        }
    }

    private string ModelOf(string twinId) => _graph.TryGetTwin(twinId, out var twin) ? twin.Model.Value : "";

    private (bool Holds, JsonNode? Value) Holds(Internal.RuleExpression expression, TwinWatch watch, JsonObject document, DateTimeOffset now)
    {
        foreach (var function in expression.Functions)
        {
            document.Remove(function.Slot);
            if (function.Kind == RuleFunctionKind.Absent)
            {
                var seen = watch.Seen.TryGetValue(function.Name ?? "", out var at) ? at : watch.Started;
                document[function.Slot] = now - seen >= function.Window;
            }
            else if (watch.Series.TryGetValue(function.SeriesKey, out var series))
            {
                if (series.Compute(function, now) is { } computed)
                {
                    document[function.Slot] = computed;
                }
            }
            else if (function.Kind == RuleFunctionKind.Count)
            {
                document[function.Slot] = 0;
            }
        }
        return expression.Evaluate(document, _related, _outgoing);
    }

    /// <summary>Arms the rule's timer for the next moment its outcome can change with time alone.</summary>
    private void Schedule(TwinWatch watch, RuleWatch state, DateTimeOffset now)
    {
        DateTimeOffset? due = null;
        void Consider(DateTimeOffset at)
        {
            if (at > now && (due is null || at < due))
            {
                due = at;
            }
        }
        var rule = state.Rule;
        if (!state.Latched && state.HoldsSince is { } since && rule.For is { } duration)
        {
            Consider(since + duration);
        }
        foreach (var function in rule.Functions)
        {
            if (function.Kind == RuleFunctionKind.Absent)
            {
                Consider((watch.Seen.TryGetValue(function.Name ?? "", out var seen) ? seen : watch.Started) + function.Window);
            }
            else if (watch.Series.TryGetValue(function.SeriesKey, out var series) && series.Oldest is { } oldest)
            {
                // The value changes when the oldest point leaves the window.
                Consider(oldest + function.Window + TimeSpan.FromTicks(1));
            }
        }
        if (due == state.Due)
        {
            return; // armed for that moment already
        }
        state.Due = due;
        if (due is { } at)
        {
            state.Timer ??= _time.CreateTimer(static s => ((RuleEngine)((object[])s!)[0]).Wake((RuleWatch)((object[])s!)[1]), new object[] { this, state }, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            state.Timer.Change(at - now, Timeout.InfiniteTimeSpan);
        }
        else
        {
            state.Timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private void Wake(RuleWatch state)
    {
        var watch = state.Twin;
        lock (watch.Gate)
        {
            state.Due = null;
            if (state.Disposed || watch.Removed || !_graph.TryGetTwin(watch.Id, out var twin))
            {
                return;
            }
            var now = _time.GetUtcNow();
            foreach (var series in watch.Series.Values)
            {
                series.Trim(now);
            }
            Step(watch, state, twin, Observe(twin, watch.Latest, [state.Rule]), now);
        }
    }

    /// <summary>
    /// The twin as a rule sees it: id, model, the properties and newest telemetry the rules read (for related twins,
    /// every property). Telemetry of a component is <c>component.name</c> in history and a nested member here.
    /// </summary>
    private JsonObject Observe(TwinDocument twin, IReadOnlyDictionary<string, HistoryPoint>? latest, List<AlertRule>? rules)
    {
        if (rules is null)
        {
            var all = twin.ToJson();
            if (latest is not null)
            {
                foreach (var (name, point) in latest)
                {
                    Put(all, name, point);
                }
            }
            return all;
        }
        var document = new JsonObject { ["$dtId"] = twin.Id, ["$metadata"] = new JsonObject { ["$model"] = twin.Model.Value } };
        JsonObject? whole = null;
        foreach (var rule in rules)
        {
            foreach (var name in rule.DocumentNames)
            {
                if (name.Contains('.', StringComparison.Ordinal) || document.ContainsKey(name))
                {
                    continue;
                }
                if (!_replay && twin.TryGetProperty(name, out var value))
                {
                    document[name] = Node(value);
                }
                else if (!_replay && twin.ComponentNames.Contains(name))
                {
                    whole ??= twin.ToJson();
                    document[name] = whole[name]?.DeepClone();
                }
            }
        }
        if (latest is not null)
        {
            foreach (var rule in rules)
            {
                foreach (var name in rule.DocumentNames)
                {
                    if (latest.TryGetValue(name, out var point))
                    {
                        Put(document, name, point);
                    }
                }
            }
        }
        return document;
    }

    private static void Put(JsonObject document, string name, HistoryPoint point)
    {
        JsonNode? value = point.Number is { } number && point.Json is null ? JsonValue.Create(number) : point.Json is { } json ? JsonNode.Parse(json) : null;
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            document[name] = value;
            return;
        }
        var component = name[..dot];
        if (document[component] is not JsonObject holder)
        {
            holder = [];
            document[component] = holder;
        }
        holder[name[(dot + 1)..]] = value;
    }

    private static JsonNode? Node(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object or JsonValueKind.Array => JsonNode.Parse(value.GetRawText()),
        JsonValueKind.Null => null,
        _ => JsonValue.Create(value),
    };

    private static HashSet<string> ChangedNames(TwinDocument before, TwinDocument after)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, state) in after.PropertyStates)
        {
            if (!before.PropertyStates.TryGetValue(name, out var old) || old.Value.GetRawText() != state.Value.GetRawText())
            {
                changed.Add(name);
            }
        }
        foreach (var name in before.PropertyStates.Keys)
        {
            if (!after.PropertyStates.ContainsKey(name))
            {
                changed.Add(name);
            }
        }
        foreach (var name in after.ComponentNames.Concat(before.ComponentNames))
        {
            changed.Add(name);
        }
        return changed;
    }

    private static string Render(AlertRule rule, string twinId, JsonObject document, JsonNode? value) =>
        AlertRule.Placeholder().Replace(rule.Message, match => match.Groups[1].Value switch
        {
            "twinId" => twinId,
            "ruleId" => rule.Id,
            "severity" => rule.Severity.Name(),
            "value" => Text(value),
            var name => Lookup(document, name) is { } found ? Text(found) : match.Value,
        });

    private static JsonNode? Lookup(JsonObject document, string path)
    {
        JsonNode? node = document;
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(segment, out var next) ? next : null;
        }
        return node;
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("0.####", CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };
}
