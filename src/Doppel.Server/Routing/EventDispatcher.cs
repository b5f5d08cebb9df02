using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Doppel.Events;
using Doppel.Rules;
using Doppel.Security;
using Doppel.Server.Routing.Internal;
using Doppel.Server.Runtime;
using Doppel.Server.Security;
using Microsoft.Extensions.Options;

namespace Doppel.Server.Routing;

/// <summary>
/// Delivers events to endpoints: reads every published event once, matches it against each route's compiled filter
/// (the body parsed at most once per event), and queues one delivery per matching route on its endpoint's worker.
/// </summary>
internal sealed class EventDispatcher : BackgroundService
{
    public const string HttpClientName = "doppel-webhooks";

    private readonly TwinRuntime _runtime;
    private readonly IHttpClientFactory _http;
    private readonly IMqttEventPublisher? _mqtt;
    private readonly TimeProvider _time;
    private readonly ILogger<EventDispatcher> _logger;
    private readonly DoppelServerOptions _options;
    private readonly string _deadLetterFolder;
    private readonly ConcurrentDictionary<string, EndpointWorker> _workers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Policies _policies;
    private readonly ApiKeys _keys;
    private EventSubscription? _subscription;

    public EventDispatcher(TwinRuntime runtime, IHttpClientFactory http, IServiceProvider services, ILogger<EventDispatcher> logger, IOptions<DoppelServerOptions> options)
    {
        _runtime = runtime;
        _http = http;
        _mqtt = services.GetService<IMqttEventPublisher>();
        _time = runtime.Time;
        _logger = logger;
        _options = options.Value;
        _deadLetterFolder = Path.Combine(Path.GetFullPath(_options.DataDirectory), "deadletters");
        _policies = services.GetRequiredService<Policies>();
        _keys = services.GetRequiredService<ApiKeys>();
    }

    /// <summary>Whether endpoints of type mqtt can be delivered (an <see cref="IMqttEventPublisher"/> is registered).</summary>
    public bool SupportsMqtt => _mqtt is not null;

    /// <summary>Events the dispatcher missed because its buffer was full (the server was producing faster than it could match).</summary>
    public long Dropped => _subscription?.Dropped ?? 0;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var endpoint in _runtime.EventEndpoints.Values)
        {
            Upsert(endpoint);
        }
        foreach (var route in _runtime.EventRoutes.Values)
        {
            if (route.CompiledFilter is null)
            {
                _logger.StoredRouteFilterInvalid(route.Id, EventFilter.Parse(route.Filter).Error?.Message ?? "");
            }
        }
        // Subscribed before the API serves requests, so no event after start-up is missed; while there are no routes the
        // subscription's filter keeps events out of the buffer.
        _subscription = _runtime.Events.Subscribe(_ => !_runtime.EventRoutes.IsEmpty, _options.EventDispatchBuffer);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _subscription!.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (reader.TryRead(out var e))
                {
                    Dispatch(e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Dispatch(TwinEvent e)
    {
        var source = _runtime.EventSource;
        using var input = new EventFilterInput(e, source);
        foreach (var (_, route) in _runtime.EventRoutes)
        {
            bool matches;
            try
            {
                matches = route.CompiledFilter?.Matches(input) == true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.RouteFilterFailed(ex, route.Id, e.Id);
                matches = false;
            }
            if (matches && route.CreatedBy is { } creator && !EventAccess.Allows(_policies.RulesFor(Current(creator)), _runtime.Graph, e))
            {
                matches = false;
            }
            if (matches && _workers.TryGetValue(route.EndpointName, out var worker))
            {
                worker.Enqueue(new Delivery(e, route.Id, source));
            }
        }
    }

    /// <summary>A route creator as it is now: an API key's role, or no role once the key is revoked; other subjects keep the role they had.</summary>
    private Subject Current(Subject creator) =>
        creator.Id.StartsWith("key:", StringComparison.Ordinal) ? _keys.Current(creator.Id[4..]) ?? new Subject(creator.Id, Role.None) : creator;

    /// <summary>Starts delivering to a new endpoint, or switches an existing one to new settings (queued events keep their place).</summary>
    public void Upsert(EventEndpoint endpoint)
    {
        lock (_gate)
        {
            if (_workers.TryGetValue(endpoint.Name, out var worker))
            {
                worker.Endpoint = endpoint;
                return;
            }
            _workers[endpoint.Name] = new EndpointWorker(
                endpoint, _options.EndpointQueueCapacity, new DeadLetterLog(_deadLetterFolder, endpoint.Name), SendAsync, _time, _logger);
        }
    }

    /// <summary>Stops delivering to an endpoint, drops what was queued for it and deletes its dead letters.</summary>
    public async Task RemoveAsync(string name)
    {
        EndpointWorker? worker;
        lock (_gate)
        {
            _workers.TryRemove(name, out worker);
        }
        if (worker is not null)
        {
            await worker.DisposeAsync();
            worker.DeadLetters.Delete();
        }
    }

    public JsonObject? Stats(string name) => _workers.TryGetValue(name, out var worker) ? worker.Stats() : null;

    public (List<JsonNode> Items, bool More)? DeadLetters(string name, long skip, int count) =>
        _workers.TryGetValue(name, out var worker) ? worker.DeadLetters.Read(skip, count) : null;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        await base.StopAsync(cancellationToken);
        foreach (var name in _workers.Keys.ToList())
        {
            if (_workers.TryRemove(name, out var worker))
            {
                await worker.DisposeAsync();
            }
        }
    }

    private Task<AttemptResult> SendAsync(EventEndpoint endpoint, Delivery delivery, CancellationToken ct) =>
        endpoint.Type == EventEndpoint.Mqtt ? PublishAsync(endpoint, delivery, ct) : PostAsync(endpoint, delivery, ct);

    // Structured-mode CloudEvent. 2xx delivered; 408, 429 and 5xx are worth retrying; any other status will not change.
    // Every error text it returns goes to the log, the stats and the dead letters, so each passes through the endpoint's Redact.
    private async Task<AttemptResult> PostAsync(EventEndpoint endpoint, Delivery delivery, CancellationToken ct)
    {
        var result = await TryPostAsync(endpoint, delivery, ct);
        return result.Error is { } error ? result with { Error = endpoint.Redact(error) } : result;
    }

    private async Task<AttemptResult> TryPostAsync(EventEndpoint endpoint, Delivery delivery, CancellationToken ct)
    {
        var url = endpoint.Url!;
        using var request = new HttpRequestMessage(HttpMethod.Post, url.UserInfo.Length == 0 ? url : new UriBuilder(url) { UserName = "", Password = "" }.Uri);
        request.Content = new ByteArrayContent(delivery.Payload);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(CloudEventJson.ContentType);
        // https://user:password@host/ means HTTP Basic authentication (RFC 3986 deprecates the form, but webhooks still use it); a configured Authorization header wins.
        if (url.UserInfo.Length > 0)
        {
            var credentials = System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(url.UserInfo));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(credentials));
        }
        foreach (var (name, value) in endpoint.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
        var shown = endpoint.DisplayUrl;
        try
        {
            using var response = await _http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return AttemptResult.Delivered;
            }
            var error = $"HTTP {status} {response.ReasonPhrase} from {shown}";
            return status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500
                ? new AttemptResult(AttemptOutcome.RetryLater, error)
                : new AttemptResult(AttemptOutcome.Rejected, error);
        }
        catch (HttpRequestException e)
        {
            return new AttemptResult(AttemptOutcome.RetryLater, $"{e.HttpRequestError} posting to {shown}: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new AttemptResult(AttemptOutcome.RetryLater, $"No response from {shown} within {_options.WebhookTimeout}.");
        }
    }

    private async Task<AttemptResult> PublishAsync(EventEndpoint endpoint, Delivery delivery, CancellationToken ct)
    {
        if (_mqtt is null)
        {
            return new AttemptResult(AttemptOutcome.Rejected, "No MQTT publisher is configured on this server.");
        }
        var topic = endpoint.TopicFor(delivery.Event.TwinId, delivery.Event.Type, delivery.RouteId);
        try
        {
            await _mqtt.PublishAsync(topic, delivery.Payload, endpoint.Qos, endpoint.Retain, ct);
            return AttemptResult.Delivered;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new AttemptResult(AttemptOutcome.RetryLater, $"Publishing to MQTT topic '{topic}' failed: {e.Message}");
        }
    }
}
