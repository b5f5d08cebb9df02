using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Doppel.Server.Routing.Internal;

/// <summary>
/// Delivers one endpoint's events in order, one at a time: an event being retried holds back the ones after it, so a
/// receiver sees an endpoint's events in the order they happened. The queue is in memory and bounded; an event that
/// finds it full is dead-lettered ("queueFull") rather than blocking the dispatcher.
/// </summary>
internal sealed class EndpointWorker : IAsyncDisposable
{
    private readonly Channel<Delivery> _queue;
    private readonly Func<EventEndpoint, Delivery, CancellationToken, Task<AttemptResult>> _send;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _jitter = new(17); // seeded: jitter spreads retries, it need not be unpredictable
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile EventEndpoint _endpoint;
    private long _delivered;
    private long _failed;
    private long _retrying;
    private volatile string? _lastError;
    private long _lastErrorTicks; // UTC ticks, 0 for none: a long reads atomically where a DateTimeOffset would not

    public EndpointWorker(EventEndpoint endpoint, int capacity, DeadLetterLog deadLetters, Func<EventEndpoint, Delivery, CancellationToken, Task<AttemptResult>> send, TimeProvider time, ILogger logger)
    {
        _endpoint = endpoint;
        DeadLetters = deadLetters;
        _send = send;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<Delivery>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        _loop = Task.Run(RunAsync);
    }

    public EventEndpoint Endpoint
    {
        get => _endpoint;
        set => _endpoint = value; // the next attempt uses the new settings
    }

    public DeadLetterLog DeadLetters { get; }

    public void Enqueue(Delivery delivery)
    {
        if (!_queue.Writer.TryWrite(delivery))
        {
            DeadLetter(delivery, 0, "queueFull", "The endpoint's delivery queue was full.");
        }
    }

    public JsonObject Stats() => new()
    {
        ["delivered"] = Interlocked.Read(ref _delivered),
        ["failed"] = Interlocked.Read(ref _failed),
        ["retrying"] = Interlocked.Read(ref _retrying),
        ["deadLettered"] = DeadLetters.Count,
        ["queueDepth"] = _queue.Reader.Count,
        ["lastError"] = _lastError,
        ["lastErrorTime"] = Interlocked.Read(ref _lastErrorTicks) is var ticks and > 0
            ? new DateTime(ticks, DateTimeKind.Utc).ToString("O", System.Globalization.CultureInfo.InvariantCulture)
            : null,
    };

    private async Task RunAsync()
    {
        var ct = _stop.Token;
        try
        {
            await foreach (var delivery in _queue.Reader.ReadAllAsync(ct))
            {
                await DeliverAsync(delivery, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: what is still queued is lost with the process, as documented.
        }
    }

    private async Task DeliverAsync(Delivery delivery, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var endpoint = _endpoint;
            var result = await _send(endpoint, delivery, ct);
            if (result.Outcome == AttemptOutcome.Delivered)
            {
                Interlocked.Increment(ref _delivered);
                return;
            }
            Interlocked.Increment(ref _failed);
            _lastError = result.Error;
            Interlocked.Exchange(ref _lastErrorTicks, _time.GetUtcNow().UtcTicks);
            if (result.Outcome == AttemptOutcome.Rejected || attempt >= endpoint.MaxAttempts)
            {
                var reason = result.Outcome == AttemptOutcome.Rejected ? "rejected" : "maxAttemptsExceeded";
                _logger.EventDeadLettered(endpoint.Name, delivery.Event.Id, attempt, reason, result.Error ?? "");
                DeadLetter(delivery, attempt, reason, result.Error ?? "");
                return;
            }
            var wait = Backoff.After(attempt, endpoint.InitialBackoff, endpoint.MaxBackoff, _jitter.NextDouble());
            _logger.EventDeliveryRetrying(endpoint.Name, delivery.Event.Id, attempt, wait, result.Error ?? "");
            Interlocked.Exchange(ref _retrying, 1);
            try
            {
                await Task.Delay(wait, _time, ct);
            }
            finally
            {
                Interlocked.Exchange(ref _retrying, 0);
            }
        }
    }

    private void DeadLetter(Delivery delivery, int attempts, string reason, string error)
    {
        try
        {
            DeadLetters.Append(delivery.Event, delivery.Source, _endpoint.Name, delivery.RouteId, attempts, reason, error, _time.GetUtcNow());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.DeadLetterWriteFailed(e, _endpoint.Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
