using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Doppel.Analytics.Rul;
using Doppel.History;
using Doppel.Modeling;
using Doppel.Server.Analytics.Internal;
using Doppel.Server.Observability;
using Doppel.Server.Runtime;
using Doppel.Twins;

namespace Doppel.Server.Analytics;

/// <summary>
/// Live predictions: for each twin whose model (or a base) has a predictor assigned, keeps the newest rows of the
/// predictor's channels (rebuilt from history the first time a twin is seen, so after a restart too), predicts on every
/// new row and writes <c>rul</c>, <c>rulLower</c>, <c>rulUpper</c> and <c>rulPredictor</c> as reported properties through
/// the twin's grain: they land in history and rules fire on them. Readings are queued per twin shard and handled in
/// order on the shard's own task; a predictor that fails is logged, counted, and leaves the twin as it was.
/// </summary>
public sealed class PredictorWatcher : ITelemetryWatcher, IHostedService, IDisposable
{
    private const int QueueCapacity = 10_000;

    private readonly TwinRuntime _runtime;
    private readonly PredictorRegistry _registry;
    private readonly IGrainFactory _grains;
    private readonly ILogger<PredictorWatcher> _log;
    private readonly Channel<Reading>[] _shards;
    private readonly Task[] _workers;
    private readonly ConcurrentDictionary<string, byte> _stale = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _failuresByVersion = new(StringComparer.Ordinal);
    private readonly Counter<long> _predictions;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _duration;
    private readonly CancellationTokenSource _stopping = new();

    public PredictorWatcher(TwinRuntime runtime, PredictorRegistry registry, IGrainFactory grains, IMeterFactory meters, ILogger<PredictorWatcher> log)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _runtime = runtime;
        _registry = registry;
        _grains = grains;
        _log = log;
        var meter = meters.Create(DoppelMetrics.MeterName);
        _predictions = meter.CreateCounter<long>("doppel.predictions", "{prediction}", "Live predictions written to twins, by predictor.");
        _failures = meter.CreateCounter<long>("doppel.prediction.failures", "{prediction}", "Live predictions that failed (the predictor threw, its file does not load, or the write was refused), by predictor.");
        _duration = meter.CreateHistogram<double>("doppel.prediction.duration", "ms", "Time a predictor took on one twin's window.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100] });
        _shards = new Channel<Reading>[Math.Clamp(Environment.ProcessorCount, 1, 8)];
        for (var i = 0; i < _shards.Length; i++)
        {
            _shards[i] = Channel.CreateBounded<Reading>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        }
        _workers = new Task[_shards.Length];
        Array.Fill(_workers, Task.CompletedTask);
    }

    public string Name => "predictors";

    /// <inheritdoc/>
    public void OnTelemetry(TwinDocument twin, IReadOnlyList<HistoryPoint> points)
    {
        ArgumentNullException.ThrowIfNull(twin);
        ArgumentNullException.ThrowIfNull(points);
        if (!_registry.AnyAssignment || points.Count == 0 || _registry.For(twin.Model) is null)
        {
            return;
        }
        var shard = _shards[(int)((uint)StringComparer.Ordinal.GetHashCode(twin.Id) % (uint)_shards.Length)];
        if (!shard.Writer.TryWrite(new Reading(twin.Id, twin.Model, points)))
        {
            // The reading is in history: the twin's window is rebuilt from there when it is next handled.
            if (_stale.TryAdd(twin.Id, 0))
            {
                _log.PredictionQueueFull(twin.Id);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _shards.Length; i++)
        {
            var reader = _shards[i].Reader;
            _workers[i] = Task.Run(() => WorkAsync(reader), CancellationToken.None);
        }
        _runtime.AddWatcher(this);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var shard in _shards)
        {
            shard.Writer.TryComplete();
        }
        await _stopping.CancelAsync();
        await Task.WhenAll(_workers).WaitAsync(cancellationToken);
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>The rows a predictor reads for a twin now: its newest <see cref="RulPredictor.Window"/> rows in history, up to its latest telemetry.</summary>
    public Task<List<double[]>> WindowAsync(string twinId, RulPredictor predictor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        var live = _runtime.Live.Get(twinId);
        var latest = predictor.Channels.Select(c => live.TryGetValue(c, out var point) ? point.Time : DateTimeOffset.MinValue).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        return latest == DateTimeOffset.MinValue
            ? Task.FromResult(new List<double[]>())
            : TelemetryRows.ReadLastAsync(_runtime.History, twinId, predictor.Channels, predictor.Window, TelemetryRows.Through(latest), ct);
    }

    private async Task WorkAsync(ChannelReader<Reading> readings)
    {
        var windows = new Dictionary<string, TwinWindow>(StringComparer.Ordinal);
        while (await readings.WaitToReadAsync(CancellationToken.None))
        {
            while (readings.TryRead(out var reading))
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }
                try
                {
                    await HandleAsync(windows, reading, _stopping.Token);
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    windows.Remove(reading.TwinId);
                    _failures.Add(1, new KeyValuePair<string, object?>("predictor", "unknown"));
                    _log.PredictionHistoryFailed(e, reading.TwinId, "unknown");
                }
            }
        }
    }

    private async Task HandleAsync(Dictionary<string, TwinWindow> windows, Reading reading, CancellationToken ct)
    {
        if (_registry.For(reading.Model) is not { IsSuccess: true } found)
        {
            windows.Remove(reading.TwinId);
            return;
        }
        var version = found.Value;
        var tag = new KeyValuePair<string, object?>("predictor", version.Name);
        var loaded = _registry.Load(version);
        if (!loaded.IsSuccess)
        {
            _failures.Add(1, tag);
            return;
        }
        var predictor = loaded.Value;
        var time = reading.Points[0].Time;
        var stale = _stale.TryRemove(reading.TwinId, out _);
        if (stale || !windows.TryGetValue(reading.TwinId, out var window) || window.Label != version.Label)
        {
            // First sight of the twin (or of this version, or readings were dropped): its window as history holds it,
            // this reading included (it is durable before watchers hear of it).
            window = new TwinWindow(version.Label, predictor.Channels, predictor.Window);
            foreach (var row in await TelemetryRows.ReadLastAsync(_runtime.History, reading.TwinId, predictor.Channels, predictor.Window, TelemetryRows.Through(time), ct))
            {
                window.Push(row, time);
            }
            windows[reading.TwinId] = window;
        }
        else if (!window.Take(reading.Points, time))
        {
            return;
        }
        if (window.Rows.Count == 0)
        {
            return;
        }
        RulEstimate estimate;
        var started = Stopwatch.GetTimestamp();
        try
        {
            estimate = predictor.Predict([.. window.Rows]);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Failed(tag, version.Label);
            if (ShouldLog(version.Label))
            {
                _log.PredictionFailed(e, version.Label, reading.TwinId);
            }
            return;
        }
        _duration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tag);
        if (!double.IsFinite(estimate.Rul) || !double.IsFinite(estimate.Lower) || !double.IsFinite(estimate.Upper))
        {
            Failed(tag, version.Label);
            if (ShouldLog(version.Label))
            {
                _log.PredictionNotWritten(version.Label, reading.TwinId, $"the predictor gave a value that is not a finite number ({estimate})");
            }
            return;
        }
        var values = new JsonObject
        {
            ["rul"] = Math.Round(estimate.Rul, 3),
            ["rulLower"] = Math.Round(estimate.Lower, 3),
            ["rulUpper"] = Math.Round(estimate.Upper, 3),
            ["rulPredictor"] = version.Label,
        };
        var written = await _grains.GetGrain<ITwinGrain>(reading.TwinId).ReportProperties(null, values.ToJsonString(), time, null, false);
        if (written.Error is { } error)
        {
            Failed(tag, version.Label);
            if (ShouldLog(version.Label))
            {
                _log.PredictionNotWritten(version.Label, reading.TwinId, error.Message);
            }
            return;
        }
        _predictions.Add(1, tag);
    }

    private void Failed(KeyValuePair<string, object?> tag, string label)
    {
        _failures.Add(1, tag);
        _failuresByVersion.AddOrUpdate(label, 1, static (_, n) => n + 1);
    }

    /// <summary>A failing predictor fails on every reading: its 1st, 10th, 100th... failure is logged, all are counted.</summary>
    private bool ShouldLog(string label)
    {
        var n = _failuresByVersion.GetValueOrDefault(label);
        while (n >= 10 && n % 10 == 0)
        {
            n /= 10;
        }
        return n == 1;
    }

    private sealed record Reading(string TwinId, Dtmi Model, IReadOnlyList<HistoryPoint> Points);

    /// <summary>One twin's newest rows for one predictor version.</summary>
    private sealed class TwinWindow(string label, IReadOnlyList<string> channels, int size)
    {
        private readonly TelemetryRows _rows = new(channels);
        private readonly Queue<double[]> _window = new(size + 1);
        private DateTimeOffset _last = DateTimeOffset.MinValue;

        public string Label => label;

        public IReadOnlyCollection<double[]> Rows => _window;

        public void Push(double[] row, DateTimeOffset time)
        {
            _rows.Seed(row);
            _window.Enqueue(row);
            if (_window.Count > Math.Max(size, 1))
            {
                _window.Dequeue();
            }
            _last = time;
        }

        /// <summary>Takes a reading's points; true when they made a new row. A reading older than the last row is history's only.</summary>
        public bool Take(IReadOnlyList<HistoryPoint> points, DateTimeOffset time)
        {
            if (time <= _last || _rows.Add(points, 0, points.Count) is not { } row)
            {
                return false;
            }
            Push(row, time);
            return true;
        }
    }
}
