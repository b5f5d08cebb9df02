using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Doppel.History;
using Doppel.Modeling;
using Doppel.Packs;
using Doppel.Server.Observability;
using Doppel.Server.Runtime.Internal;
using Doppel.Twins;

namespace Doppel.Server.Runtime;

/// <summary>
/// Runs the packs' twin followers (<see cref="ITwinFollower"/>): one instance of each per server, told of the telemetry
/// of the twins it follows (a telemetry watcher that only checks the twin's model, then hands the points on) and run on
/// its own task with a <see cref="FollowerContext"/> until the server stops. A follower that throws on a reading is
/// logged and counted (its 1st, 10th, 100th... fault logged, all counted) and the reading stays stored; one whose loop
/// fails is logged and counted and stops following.
/// </summary>
public sealed class PackFollowers : IHostedService, IDisposable
{
    private readonly TwinRuntime _runtime;
    private readonly IGrainFactory _grains;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<PackFollowers> _log;
    private readonly List<Running> _running = [];
    private readonly Counter<long> _failures;
    private readonly CancellationTokenSource _stopping = new();

    public PackFollowers(TwinRuntime runtime, PackCatalog packs, IGrainFactory grains, IMeterFactory meters, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(packs);
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(loggers);
        _runtime = runtime;
        _grains = grains;
        _loggers = loggers;
        _log = loggers.CreateLogger<PackFollowers>();
        _failures = meters.Create(DoppelMetrics.MeterName).CreateCounter<long>("doppel.follower.failures", "{fault}", "Faults of pack followers (on a reading or in their loop), by follower.");
        foreach (var pack in packs.Packs)
        {
            foreach (var follower in pack.Followers)
            {
                _running.Add(new Running(this, pack.Name, follower, follower.Create()));
            }
        }
    }

    /// <summary>The followers this server runs, as <c>{pack}/{name}</c>.</summary>
    public IReadOnlyList<string> Names => [.. _running.Select(r => r.Label)];

    /// <summary>Faults of a follower (<c>{pack}/{name}</c>) since start: readings it threw on, and its loop's end by a fault.</summary>
    public long Faults(string label) => _running.FirstOrDefault(r => r.Label == label)?.Faults ?? 0;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var running in _running)
        {
            var context = new ServerFollowerContext(_runtime, _grains, running.Pack, running.Follower.Name, _loggers.CreateLogger($"Doppel.Packs.{running.Pack}.{running.Follower.Name}"));
            running.Loop = Task.Run(() => running.RunAsync(context, _stopping.Token), CancellationToken.None);
            _runtime.AddWatcher(running);
            _log.FollowerStarted(running.Label, string.Join(", ", running.Follower.Models));
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_running.Select(r => r.Loop)).WaitAsync(cancellationToken);
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>One follower instance on this server, and the watcher that hands it its twins' telemetry.</summary>
    private sealed class Running(PackFollowers owner, string pack, TwinFollower follower, ITwinFollower instance) : ITelemetryWatcher
    {
        // A twin's model never changes its bases, so whether it is followed is decided once per model.
        private readonly ConcurrentDictionary<Dtmi, bool> _followed = new();
        private readonly KeyValuePair<string, object?> _tag = new("follower", $"{pack}/{follower.Name}");
        private long _faults;

        public string Pack => pack;

        public TwinFollower Follower => follower;

        public string Label => $"{pack}/{follower.Name}";

        public string Name => $"follower {Label}";

        public long Faults => Interlocked.Read(ref _faults);

        public Task Loop { get; set; } = Task.CompletedTask;

        public void OnTelemetry(TwinDocument twin, IReadOnlyList<HistoryPoint> points)
        {
            if (points.Count == 0 || !_followed.GetOrAdd(twin.Model, Follows))
            {
                return;
            }
            try
            {
                instance.OnTelemetry(twin, points);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (ShouldLog(Fault()))
                {
                    owner._log.FollowerTelemetryFailed(e, Label, twin.Id);
                }
            }
        }

        public async Task RunAsync(FollowerContext context, CancellationToken ct)
        {
            try
            {
                await instance.RunAsync(context, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Fault();
                owner._log.FollowerFailed(e, Label);
            }
        }

        private bool Follows(Dtmi model) => follower.Models.Any(m => owner._runtime.Models.SelfAndDescendants(new Dtmi(m)).Contains(model));

        private long Fault()
        {
            owner._failures.Add(1, _tag);
            return Interlocked.Increment(ref _faults);
        }

        /// <summary>A follower failing on every reading: its 1st, 10th, 100th... fault is logged, all are counted.</summary>
        private static bool ShouldLog(long n)
        {
            while (n >= 10 && n % 10 == 0)
            {
                n /= 10;
            }
            return n == 1;
        }
    }
}
