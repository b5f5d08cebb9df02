using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Doppel.Server.Api;
using Doppel.Server.Runtime;
using Doppel.Server.Streams.Internal;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Doppel.Server.Streams;

/// <summary>
/// <c>GET /doppel/streams/events</c>: twin, relationship and telemetry events as Server-Sent Events, filtered by twin ids,
/// model, types and a query condition. Each event is <c>id</c>, <c>event</c> (the CloudEvents type) and <c>data</c> (the
/// CloudEvent JSON on one line); missed events are announced as <c>event: dropped</c> before the next event or once the buffer is drained.
/// </summary>
internal static class EventStreamEndpoints
{
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
        var subscribed = EventStreams.Subscribe(runtime, options.Value, request.Value);
        if (!subscribed.IsSuccess)
        {
            await AdtErrors.WriteAsync(context, subscribed.Error);
            return;
        }
        using var subscription = subscribed.Value;
        var ct = context.RequestAborted;
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var body = response.BodyWriter;
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(buffer);
        using var heartbeat = new PeriodicTimer(options.Value.StreamHeartbeat, time);
        try
        {
            // Sent at once so the client knows it is subscribed before any event exists.
            body.Write(": subscribed\n\n"u8);
            await body.FlushAsync(ct);
            Task<bool>? ready = null;
            Task<bool>? tick = null;
            while (true)
            {
                // Both waits survive across turns: neither is abandoned and restarted when the other completes.
                ready ??= subscription.Reader.WaitToReadAsync(ct).AsTask();
                tick ??= heartbeat.WaitForNextTickAsync(ct).AsTask();
                if (await Task.WhenAny(ready, tick) == tick)
                {
                    tick = null;
                    body.Write(": keep-alive\n\n"u8);
                    await body.FlushAsync(ct);
                    continue;
                }
                var open = await ready;
                ready = null;
                if (!open)
                {
                    return;
                }
                while (subscription.Reader.TryRead(out var e))
                {
                    WriteDropped(body, subscription.TakeDropped());
                    EventStreams.WriteCloudEvent(buffer, json, e, runtime.EventSource);
                    body.Write("id: "u8);
                    WriteAscii(body, e.Id);
                    body.Write("\nevent: "u8);
                    WriteAscii(body, e.Type);
                    body.Write("\ndata: "u8);
                    body.Write(buffer.WrittenSpan);
                    body.Write("\n\n"u8);
                    buffer.ResetWrittenCount();
                    await body.FlushAsync(ct);
                }
                // Drained: a drop always leaves a full buffer behind it, so checking here too means the last drops are
                // announced without waiting for another event.
                if (subscription.TakeDropped() is var missed and > 0)
                {
                    WriteDropped(body, missed);
                    await body.FlushAsync(ct);
                }
            }
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client went away; disposing the subscription unsubscribes.
        }
    }

    private static void WriteDropped(System.IO.Pipelines.PipeWriter body, long dropped)
    {
        if (dropped > 0)
        {
            body.Write("event: dropped\ndata: {\"dropped\":"u8);
            WriteAscii(body, dropped.ToString(CultureInfo.InvariantCulture));
            body.Write("}\n\n"u8);
        }
    }

    private static void WriteAscii(System.IO.Pipelines.PipeWriter body, string text)
    {
        var span = body.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        body.Advance(Encoding.UTF8.GetBytes(text, span));
    }

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
