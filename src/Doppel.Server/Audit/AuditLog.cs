using Doppel.Server.Runtime;
using Doppel.Server.Security;
using Doppel.Storage;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Audit;

/// <summary>
/// Who changed what and when: one durable record per change request (models, twins, relationships, routes, endpoints,
/// mappings, jobs, runs, history maintenance, policies, keys), kept in <c>audit.db</c> in the data folder and read with
/// <c>GET /doppel/audit</c> or <c>doppel audit</c>. Reads and telemetry are not audited (history keeps telemetry).
/// </summary>
/// <remarks>
/// <see cref="RecordAsync(HttpContext, string, string, string, int, string?)"/> completes once the record is durable, so a
/// request answered after it keeps its record through a crash. Records are group-committed with other requests' records,
/// so the cost per write request is an insert, not a transaction.
/// </remarks>
public sealed class AuditLog : IHostedService, IAsyncDisposable
{
    /// <summary>Summaries longer than this are cut, so that a huge patch cannot bloat the log.</summary>
    public const int MaxSummaryLength = 1000;

    /// <summary>How often records older than the retention are deleted (checked when a record is written: no timer on the domain clock).</summary>
    public static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private readonly Task<SqliteAuditStore> _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan? _retention;
    private readonly ILogger<AuditLog> _logger;
    private Task _pruning = Task.CompletedTask;
    private long _nextPruneTicks = long.MaxValue;
    private int _disposed;

    public AuditLog(IOptions<DoppelServerOptions> options, TwinRuntime runtime, ILogger<AuditLog> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runtime);
        _logger = logger;
        _time = runtime.Time;
        _retention = options.Value.AuditRetention;
        Enabled = options.Value.AuditLog;
        _store = SqliteAuditStore.OpenAsync(options.Value.DataDirectory, SynchronousMode.Normal);
    }

    /// <summary>Whether changes are recorded (<see cref="DoppelServerOptions.AuditLog"/>); <c>doppel bench twins</c> turns it off to measure its cost.</summary>
    public bool Enabled { get; set; }

    /// <summary>Records a change a request made (or was refused), as the request's subject, once it is durable.</summary>
    /// <param name="context">The request; its subject is <see cref="Caller.SubjectOf"/> its user.</param>
    /// <param name="action">What was asked, such as <c>policy.put</c> or <c>key.revoke</c>: the resource kind, a dot, the verb.</param>
    /// <param name="resourceKind">The kind of resource, such as <c>policy</c> or <c>key</c>.</param>
    /// <param name="resourceId">The resource's id.</param>
    /// <param name="status">The HTTP status the request is answered with.</param>
    /// <param name="summary">What changed, in a few words; never secret values (a key's secret, a webhook's headers).</param>
    public Task RecordAsync(HttpContext context, string action, string resourceKind, string resourceId, int status, string? summary = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RecordAsync(Caller.SubjectOf(context.User), action, resourceKind, resourceId, status, summary);
    }

    /// <summary>Records a change made by <paramref name="subject"/>, once it is durable (for changes that do not come from a request).</summary>
    public Task RecordAsync(string subject, string action, string resourceKind, string resourceId, int status, string? summary = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentException.ThrowIfNullOrEmpty(resourceKind);
        ArgumentNullException.ThrowIfNull(resourceId);
        return Enabled ? AppendAsync([Record(subject, action, resourceKind, resourceId, status, summary)]) : Task.CompletedTask;
    }

    /// <summary>Records several resources one request changed (a model upload), in one append.</summary>
    internal Task RecordAsync(string subject, string action, string resourceKind, IReadOnlyList<(string Id, string? Summary)> targets, int status)
    {
        if (!Enabled || targets.Count == 0)
        {
            return Task.CompletedTask;
        }
        var records = new AuditRecord[targets.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = Record(subject, action, resourceKind, targets[i].Id, status, targets[i].Summary);
        }
        return AppendAsync(records);
    }

    /// <summary>Up to <paramref name="limit"/> records matching <paramref name="search"/>, newest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ReadAsync(AuditSearch search, int limit, CancellationToken ct = default) =>
        await (await _store.ConfigureAwait(false)).ReadAsync(search, limit, ct).ConfigureAwait(false);

    /// <summary>Deletes the records older than the retention now; returns how many went (0 when the log is kept whole).</summary>
    public Task<long> PruneAsync() => PruneAsync(_time.GetUtcNow());

    /// <summary>Deletes what is older than the retention at <paramref name="now"/>: the time the prune fell due, not the time a busy thread pool gets to it.</summary>
    private async Task<long> PruneAsync(DateTimeOffset now) =>
        _retention is { } retention ? await (await _store.ConfigureAwait(false)).DeleteBeforeAsync(now - retention).ConfigureAwait(false) : 0;

    async Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        await _store.WaitAsync(cancellationToken).ConfigureAwait(false);
        await PruneAsync().ConfigureAwait(false);
        if (_retention is not null)
        {
            Interlocked.Exchange(ref _nextPruneTicks, (_time.GetUtcNow() + PruneInterval).UtcTicks);
        }
    }

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => _pruning.WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        // Registered as a singleton and as a hosted service, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _pruning.ConfigureAwait(false);
        await (await _store.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
    }

    private Task AppendAsync(AuditRecord[] records) =>
        _store.IsCompletedSuccessfully ? _store.Result.AppendAsync(records) : AppendOnceOpenAsync(records);

    private async Task AppendOnceOpenAsync(AuditRecord[] records) => await (await _store.ConfigureAwait(false)).AppendAsync(records).ConfigureAwait(false);

    private AuditRecord Record(string subject, string action, string resourceKind, string resourceId, int status, string? summary)
    {
        var now = _time.GetUtcNow();
        PruneWhenDue(now);
        return new(0, now, subject, action, resourceKind, resourceId, status, summary is { Length: > MaxSummaryLength } ? summary[..(MaxSummaryLength - 1)] + "…" : summary);
    }

    /// <summary>Starts deleting old records once an interval has passed since the last time (a timer on the domain clock would wake tests' fake clocks).</summary>
    private void PruneWhenDue(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextPruneTicks);
        if (now.UtcTicks >= due && Interlocked.CompareExchange(ref _nextPruneTicks, (now + PruneInterval).UtcTicks, due) == due)
        {
            _pruning = Task.Run(async () =>
            {
                try
                {
                    await PruneAsync(now).ConfigureAwait(false);
                }
                catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException)
                {
                    _logger.AuditPruneFailed(e);
                }
            });
        }
    }
}
