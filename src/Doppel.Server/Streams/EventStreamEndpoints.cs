using System.Buffers;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Doppel.Events;
using Doppel.Server.Api;
using Doppel.Server.Runtime;
using Doppel.Server.Security;
using Doppel.Server.Streams.Internal;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Doppel.Server.Streams;

/// <summary>
/// <c>GET /doppel/streams/events</c>: twin, relationship and telemetry events as Server-Sent Events (written by
/// <see cref="SseFormatter"/>), filtered by twin ids, model, types and a query condition. Each event is <c>event</c> (the
/// CloudEvents type), <c>data</c> (the CloudEvent JSON on one line) and <c>id</c>; see <see cref="Items"/> for the others.
/// </summary>
internal static class EventStreamEndpoints
{
    /// <summary>The first event: the subscription is in place.</summary>
    public const string SubscribedEvent = "subscribed";

    /// <summary>Sent while the stream is idle, so that proxies keep it open and clients can tell it is alive.</summary>
    public const string HeartbeatEvent = "heartbeat";

    /// <summary>How many events this subscriber missed because it fell behind.</summary>
    public const string DroppedEvent = "dropped";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/doppel/streams/events", Stream).WithTags("Streams").WithName("Streams_Events");
    }

    private static async Task Stream(HttpContext context, TwinRuntime runtime, IOptions<DoppelServerOptions> options, TimeProvider time)
    {
        var request = Filter(context.Request.Query);
        if (!request.IsSuccess)
        {
            await AdtErrors.WriteAsync(context, request.Error);
            return;
        }
        // Subscribed before the response starts: a client that has the headers sees every event from then on.
        var subscribed = EventStreams.Subscribe(runtime, options.Value, request.Value, EventAccess.Filter(context.Access(), runtime.Graph));
        if (!subscribed.IsSuccess)
        {
            await AdtErrors.WriteAsync(context, subscribed.Error);
            return;
        }
        using var subscription = subscribed.Value;
        await EventStreamResponse.WriteAsync(context, Items(subscription, runtime.EventSource, options.Value.StreamHeartbeat, time, context.RequestAborted), EventStreamResponse.WriteBytes);
    }

    /// <summary>
    /// The stream's events: <c>subscribed</c> first, then each CloudEvent (its type as the event type, its id as the
    /// event id), <c>dropped</c> with the count of missed events before the next event or once the buffer is drained,
    /// and a <c>heartbeat</c> every <see cref="DoppelServerOptions.StreamHeartbeat"/> while idle. Each item's data is
    /// valid until the next item is asked for: the formatter writes it out before that.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<ReadOnlyMemory<byte>>> Items(EventSubscription subscription, string source, TimeSpan heartbeatEvery, TimeProvider time, [EnumeratorCancellation] CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(buffer);
        using var heartbeat = new PeriodicTimer(heartbeatEvery, time);
        yield return new SseItem<ReadOnlyMemory<byte>>(EventStreamResponse.EmptyObject, SubscribedEvent);
        Task<bool>? ready = null;
        Task<bool>? tick = null;
        while (true)
        {
            // Both waits survive across turns: neither is abandoned and restarted when the other completes.
            ready ??= subscription.Reader.WaitToReadAsync(ct).AsTask();
            tick ??= heartbeat.WaitForNextTickAsync(ct).AsTask();
            if (await Task.WhenAny(ready, tick) == tick)
            {
                await tick;
                tick = null;
                yield return new SseItem<ReadOnlyMemory<byte>>(EventStreamResponse.EmptyObject, HeartbeatEvent);
                continue;
            }
            var open = await ready;
            ready = null;
            if (!open)
            {
                yield break;
            }
            while (subscription.Reader.TryRead(out var e))
            {
                if (subscription.TakeDropped() is var dropped and > 0)
                {
                    yield return Dropped(dropped);
                }
                buffer.ResetWrittenCount();
                EventStreams.WriteCloudEvent(buffer, json, e, source);
                yield return new SseItem<ReadOnlyMemory<byte>>(buffer.WrittenMemory, e.Type) { EventId = e.Id };
            }
            // Drained: a drop always leaves a full buffer behind it, so checking here too means the last drops are
            // announced without waiting for another event.
            if (subscription.TakeDropped() is var missed and > 0)
            {
                yield return Dropped(missed);
            }
        }
    }

    private static SseItem<ReadOnlyMemory<byte>> Dropped(long count) =>
        new(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"dropped\":{count}}}")), DroppedEvent);

    /// <summary>The filter from the query string: <c>twinId</c> and <c>types</c> comma-separated or repeated, <c>model</c>, <c>where</c>, <c>capacity</c>.</summary>
    private static Result<StreamFilterRequest> Filter(IQueryCollection query)
    {
        int? capacity = null;
        if (query["capacity"] is { Count: > 0 } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return Result<StreamFilterRequest>.Fail("InvalidArgument", $"'capacity' must be a positive integer, got '{text}'.");
            }
            capacity = value;
        }
        return Result<StreamFilterRequest>.Ok(new StreamFilterRequest(List(query["twinId"]), query["model"].ToString() is { Length: > 0 } m ? m : null, List(query["types"]), query["where"].ToString() is { Length: > 0 } w ? w : null, capacity));
    }

    private static List<string>? List(StringValues values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        var items = new List<string>();
        foreach (var value in values)
        {
            foreach (var item in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                items.Add(item);
            }
        }
        return items;
    }
}
