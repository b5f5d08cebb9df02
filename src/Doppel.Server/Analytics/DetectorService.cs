using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Doppel.Analytics.Anomaly;
using Doppel.Events;
using Doppel.History;
using Doppel.Server.Runtime;
using Doppel.Storage;
using Doppel.Twins;

namespace Doppel.Server.Analytics;

/// <summary>
/// Live anomaly detectors: definitions stored in the twin store (kind <c>detector</c>) and restored at start; a
/// telemetry watcher that queues each twin's readings and scores them on its own task, one detector instance per
/// definition and twin. The score is written as telemetry <c>{property}AnomalyScore</c> (history, live values, rules;
/// not fed back to watchers); a score at or above the threshold raises an alert with the detector's reason
/// (source <c>detector:{id}</c>), resolved when the score falls back below it.
/// </summary>
public sealed class DetectorService : ITelemetryWatcher, IHostedService, IDisposable
{
    /// <summary>The kind under which definitions are kept in the store's documents.</summary>
    public const string DocumentKind = "detector";

    private readonly TwinRuntime _runtime;
    private readonly ILogger<DetectorService> _log;
    private readonly Lock _gate = new();
    private volatile DetectorDefinition[] _definitions = [];
    private readonly Channel<(TwinDocument Twin, IReadOnlyList<HistoryPoint> Points)> _queue =
        Channel.CreateUnbounded<(TwinDocument, IReadOnlyList<HistoryPoint>)>(new UnboundedChannelOptions { SingleReader = true });
    // Used by the worker alone: detector state per definition and twin, dropped when the definition is replaced.
    private readonly Dictionary<(string Definition, string TwinId), (DetectorDefinition Definition, IAnomalyDetector Detector)> _states = [];
    private Task _worker = Task.CompletedTask;
    private long _scored;
    private long _failures;

    public DetectorService(TwinRuntime runtime, ILogger<DetectorService> log)
    {
        _runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
        _log = log;
        runtime.AddWatcher(this);
    }

    public string Name => "anomaly detectors";

    /// <summary>Readings scored since start.</summary>
    public long Scored => Interlocked.Read(ref _scored);

    /// <summary>Readings whose scoring failed (logged).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Readings queued and not yet scored.</summary>
    public int Pending => _queue.Reader.Count;

    public IReadOnlyList<DetectorDefinition> List() => [.. _definitions.OrderBy(d => d.Id, StringComparer.Ordinal)];

    public DetectorDefinition? Get(string id) => Array.Find(_definitions, d => d.Id == id);

    /// <summary>Reads a definition against the models loaded now.</summary>
    public Result<DetectorDefinition> Parse(string id, JsonObject json) =>
        DetectorDefinition.Parse(id, json, ModelAndSubtypes, model => _runtime.Models.Resolve(new Doppel.Modeling.Dtmi(model)) is not null);

    /// <summary>Stores a definition durably, then puts it in force (its twins start afresh); true when it was created.</summary>
    public async Task<(DetectorDefinition Definition, bool Created)> PutAsync(DetectorDefinition definition, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var now = _runtime.Time.GetUtcNow();
        var existing = Get(definition.Id);
        var stamped = definition with { ETag = TwinRuntime.NewETag(), CreatedTime = existing?.CreatedTime ?? now, LastUpdatedTime = now };
        await _runtime.Store.CommitAsync(new StoreBatch().PutDocument(DocumentKind, stamped.Id, stamped.ToJson().ToJsonString()), ct);
        lock (_gate)
        {
            var rest = _definitions.Where(d => d.Id != stamped.Id);
            _definitions = [.. rest, stamped];
        }
        if (!stamped.Enabled)
        {
            _runtime.Rules?.ResolveExternal(stamped.AlertSource, null, "the detector was disabled");
        }
        return (stamped, existing is null);
    }

    /// <summary>Deletes a definition; its open alerts are resolved. False when there is none.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken ct)
    {
        if (Get(id) is not { } definition)
        {
            return false;
        }
        await _runtime.Store.CommitAsync(new StoreBatch().DeleteDocument(DocumentKind, id), ct);
        lock (_gate)
        {
            _definitions = [.. _definitions.Where(d => d.Id != id)];
        }
        _runtime.Rules?.ResolveExternal(definition.AlertSource, null, "the detector was deleted");
        return true;
    }

    /// <inheritdoc/>
    public void OnTelemetry(TwinDocument twin, IReadOnlyList<HistoryPoint> points)
    {
        // On the ingest path: only a cheap check, then queue.
        var definitions = _definitions;
        if (definitions.Length == 0)
        {
            return;
        }
        foreach (var definition in definitions)
        {
            if (!definition.Enabled)
            {
                continue;
            }
            foreach (var point in points)
            {
                if (point.Name == definition.Property)
                {
                    _queue.Writer.TryWrite((twin, points));
                    return;
                }
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var stored = await _runtime.Store.LoadDocumentsAsync(DocumentKind, cancellationToken);
        var loaded = new List<DetectorDefinition>();
        foreach (var document in stored)
        {
            var json = JsonNode.Parse(document.Json) as JsonObject;
            var parsed = json is null ? Result<DetectorDefinition>.Fail("DetectorInvalid", "not a JSON object") : Parse(document.Id, json);
            if (!parsed.IsSuccess)
            {
                _log.DetectorLeftOut(document.Id, parsed.Error.Message);
                continue;
            }
            loaded.Add(parsed.Value with
            {
                ETag = (string?)json!["etag"] ?? TwinRuntime.NewETag(),
                CreatedTime = Time(json["createdTime"]),
                LastUpdatedTime = Time(json["lastUpdatedTime"]),
            });
        }
        lock (_gate)
        {
            _definitions = [.. loaded];
        }
        _worker = Task.Run(WorkAsync, CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _worker.WaitAsync(cancellationToken);
    }

    public void Dispose() => _queue.Writer.TryComplete();

    private async Task WorkAsync()
    {
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (_queue.Reader.TryRead(out var item))
            {
                try
                {
                    await ScoreAsync(item.Twin, item.Points);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Interlocked.Increment(ref _failures);
                    _log.DetectorFailed(e, item.Twin.Id);
                }
            }
        }
    }

    private async Task ScoreAsync(TwinDocument twin, IReadOnlyList<HistoryPoint> points)
    {
        var scores = new List<HistoryPoint>();
        var raised = new List<(DetectorDefinition Definition, AnomalyScore Score, double Value)>();
        var cleared = new List<DetectorDefinition>();
        foreach (var definition in _definitions)
        {
            if (!definition.Enabled || !definition.Scope.Covers(twin))
            {
                continue;
            }
            foreach (var point in points)
            {
                if (point.Name != definition.Property || point.Number is not { } value || point.Json is not null)
                {
                    continue;
                }
                var key = (definition.Id, twin.Id);
                if (!_states.TryGetValue(key, out var state) || !ReferenceEquals(state.Definition, definition))
                {
                    state = (definition, AnomalyDetectors.Create(definition.Detector).Value!);
                    _states[key] = state;
                }
                var score = state.Detector.Next(point.Time, value);
                scores.Add(new HistoryPoint(twin.Id, definition.ScoreName, point.Time, HistoryKind.Telemetry, score.Score, null));
                if (score.Score >= definition.Threshold)
                {
                    raised.Add((definition, score, value));
                }
                else
                {
                    cleared.Add(definition);
                }
            }
        }
        if (scores.Count == 0)
        {
            return;
        }
        await _runtime.History.AppendAsync(scores, DuplicateCheck.Skip);
        _runtime.Live.Apply(scores);
        _runtime.Rules?.OnTelemetry(twin, scores);
        Interlocked.Add(ref _scored, scores.Count);
        if (_runtime.Events.HasSubscribers)
        {
            foreach (var point in scores)
            {
                var payload = Encoding.UTF8.GetBytes(new JsonObject { [point.Name] = point.Number }.ToJsonString());
                _runtime.Events.Publish(TwinEvents.Telemetry(twin.Id, twin.Model.Value, null, payload, point.Time, null));
            }
        }
        if (_runtime.Rules is not { } rules)
        {
            return;
        }
        foreach (var definition in cleared)
        {
            if (rules.HasExternal(definition.AlertSource, twin.Id) && !raised.Exists(r => r.Definition == definition))
            {
                rules.ResolveExternal(definition.AlertSource, twin.Id, $"{definition.ScoreName} fell below {Format(definition.Threshold)}");
            }
        }
        foreach (var (definition, score, value) in raised)
        {
            var reason = score.Reason ?? $"anomaly score {Format(score.Score)}";
            rules.RaiseExternal(definition.AlertSource, twin, definition.Severity,
                $"Anomaly in {definition.Property} of {twin.Id} ({definition.Detector}, score {Format(score.Score)}): {reason}", JsonValue.Create(value));
        }
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
            ? time : DateTimeOffset.UnixEpoch;

    private IReadOnlySet<string> ModelAndSubtypes(string dtmi)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in _runtime.Models.SelfAndDescendants(new Doppel.Modeling.Dtmi(dtmi)))
        {
            ids.Add(m.Value);
        }
        return ids;
    }
}
