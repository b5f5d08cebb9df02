using System.Collections.Concurrent;
using Doppel.Events;
using Doppel.History;
using Doppel.Ingest;
using Doppel.Modeling;
using Doppel.Server.Routing;
using Doppel.Storage;
using Doppel.Twins;

namespace Doppel.Server.Runtime;

/// <summary>
/// The live state of one Doppel instance: models, the twin graph, event routes, and the durable store behind them.
/// Reads go to memory; writes go through twin grains (twins, relationships) or <see cref="ModelService"/> (models),
/// which commit to the store before they change memory.
/// </summary>
public sealed class TwinRuntime : IAsyncDisposable
{
    private TwinRuntime(SqliteTwinStore store, DuckDbHistoryStore history, ModelCatalog models, TwinGraph graph, TimeProvider time, TwinLimits limits)
    {
        Store = store;
        History = history;
        DeadLetters = history;
        _history = history;
        Models = models;
        Graph = graph;
        Time = time;
        Operations = new TwinOperations(models, limits);
    }

    public SqliteTwinStore Store { get; }

    /// <summary>Telemetry and property changes over time (in the same data folder, under the store's folder lock).</summary>
    public IHistoryStore History { get; }

    private readonly DuckDbHistoryStore _history;

    /// <summary>Appends waiting for the history writer.</summary>
    public int HistoryQueueDepth => _history.PendingAppends;

    /// <summary>Device messages that could not be ingested, with the reason (kept beside history).</summary>
    public IDeadLetterStore DeadLetters { get; }

    /// <summary>The newest telemetry values of each twin, restored from history at start.</summary>
    public LiveTelemetry Live { get; } = new();

    /// <summary>The standing history policy, applied by <see cref="HistoryMaintenance"/>; null keeps history whole.</summary>
    public HistoryPolicy? HistoryPolicy { get; set; }

    /// <summary>The ingest mappings in force; replaced whole when one changes.</summary>
    public MappingSet Mappings { get; set; } = MappingSet.Empty;

    public ModelCatalog Models { get; }

    public TwinGraph Graph { get; }

    public TimeProvider Time { get; }

    public TwinOperations Operations { get; }

    public ConcurrentDictionary<string, EventRoute> EventRoutes { get; } = new(StringComparer.Ordinal);

    /// <summary>Where routes deliver (a Doppel extension; ADT keeps endpoints in its control plane).</summary>
    public ConcurrentDictionary<string, EventEndpoint> EventEndpoints { get; } = new(StringComparer.Ordinal);

    /// <summary>Twin, relationship and telemetry events, published once a change is durable and visible.</summary>
    public EventBroadcaster Events { get; } = new();

    /// <summary>The CloudEvents <c>source</c> of this instance's events (its address, as ADT uses its host name); set when the server starts.</summary>
    public string EventSource { get; set; } = "doppel";

    /// <summary>Alert rules and alerts; set when the server starts, evaluated on every durable change.</summary>
    public RuleMonitor? Rules { get; internal set; }

    /// <summary>Predictors and detectors following telemetry; added when the server starts.</summary>
    public IReadOnlyList<ITelemetryWatcher> Watchers => _watchers;

    private volatile ITelemetryWatcher[] _watchers = [];
    private readonly Lock _watchersGate = new();

    /// <summary>Told when a watcher throws (the server logs it); the reading stays stored either way.</summary>
    public Action<ITelemetryWatcher, Exception>? WatcherFailed { get; set; }

    public void AddWatcher(ITelemetryWatcher watcher)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        lock (_watchersGate)
        {
            _watchers = [.. _watchers, watcher];
        }
    }

    /// <summary>
    /// Telemetry points of a twin are durable and live: the rules, then the watchers, see them. A watcher's fault is
    /// reported to <see cref="WatcherFailed"/> and never fails the reading, which is stored already.
    /// </summary>
    public void OnTelemetryStored(TwinDocument twin, IReadOnlyList<HistoryPoint> points)
    {
        Rules?.OnTelemetry(twin, points);
        foreach (var watcher in _watchers)
        {
            try
            {
                watcher.OnTelemetry(twin, points);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                WatcherFailed?.Invoke(watcher, e);
            }
        }
    }

    internal StripedLocks Locks { get; } = new();

    /// <summary>Opens the store under the data folder and loads everything it holds into memory.</summary>
    public static async Task<TwinRuntime> OpenAsync(StorageOptions storage, ModelParserOptions parserOptions, TwinLimits limits, TimeProvider time, CancellationToken ct = default)
    {
        var store = await SqliteTwinStore.OpenAsync(storage, ct);
        DuckDbHistoryStore? history = null;
        try
        {
            history = DuckDbHistoryStore.Open(storage.DataDirectory);
            var snapshot = await store.LoadAsync(ct);
            var models = new ModelCatalog(parserOptions);
            var restored = models.Restore(snapshot.Models.Select(m => (m.Json, m.UploadTime, m.Decommissioned)).ToList());
            if (!restored.IsSuccess)
            {
                throw new InvalidDataException($"The models stored in {store.DatabasePath} no longer load: {restored.Error}");
            }
            var graph = new TwinGraph();
            // In bulk: indexes merged once per batch rather than copied per twin, so a restart with millions of twins stays linear.
            foreach (var batch in snapshot.Twins.Chunk(16_384))
            {
                graph.PutNewTwins(Array.ConvertAll(batch, static twin => TwinDocument.FromStoredJson(twin.Json)));
            }
            foreach (var relationship in snapshot.Relationships)
            {
                graph.PutRelationship(RelationshipDocument.FromStoredJson(relationship.Json));
            }
            var runtime = new TwinRuntime(store, history, models, graph, time, limits);
            foreach (var route in snapshot.EventRoutes)
            {
                runtime.EventRoutes[route.Id] = EventRoute.FromJson(route.Id, route.Json);
            }
            foreach (var endpoint in snapshot.Endpoints)
            {
                var parsed = EventEndpoint.FromJson(endpoint.Name, System.Text.Json.Nodes.JsonNode.Parse(endpoint.Json)!.AsObject());
                if (!parsed.IsSuccess)
                {
                    throw new InvalidDataException($"The endpoint '{endpoint.Name}' stored in {store.DatabasePath} no longer loads: {parsed.Error}");
                }
                runtime.EventEndpoints[endpoint.Name] = parsed.Value;
            }
            var mappings = new List<IngestMapping>();
            foreach (var document in snapshot.Documents.Where(d => d.Kind == MappingDocumentKind))
            {
                // Not strict: a definition stored before unknown keys were refused still loads (its unknown keys were ignored then too).
                var mapping = IngestMapping.Parse(document.Id, System.Text.Json.Nodes.JsonNode.Parse(document.Json)!.AsObject(), strict: false);
                mappings.Add(mapping.IsSuccess ? mapping.Value : throw new InvalidDataException($"Stored mapping '{document.Id}' no longer loads: {mapping.Error}"));
            }
            runtime.Mappings = new MappingSet(mappings);
            if (snapshot.Documents.FirstOrDefault(d => d.Kind == HistoryMaintenance.DocumentKind) is { } stored)
            {
                var policy = HistoryPolicy.Parse(System.Text.Json.Nodes.JsonNode.Parse(stored.Json)!.AsObject());
                runtime.HistoryPolicy = policy.IsSuccess ? policy.Value : throw new InvalidDataException($"The stored history policy no longer loads: {policy.Error}");
            }
            runtime.Live.Apply(await history.LatestTelemetryAsync(ct));
            return runtime;
        }
        catch
        {
            if (history is not null)
            {
                await history.DisposeAsync();
            }
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>The kind under which ingest mappings are kept in the store's documents.</summary>
    public const string MappingDocumentKind = "mapping";

    /// <summary>A fresh weak etag. Etags only need to be unique, so a random GUID is right here.</summary>
    public static string NewETag() => ETags.New();

    public async ValueTask DisposeAsync()
    {
        await History.DisposeAsync();
        await Store.DisposeAsync();
    }
}
