using System.Buffers;
using System.Net.ServerSentEvents;
using Microsoft.AspNetCore.Http.Features;

namespace Doppel.Server.Streams.Internal;

/// <summary>
/// Writes a Server-Sent Events response with the framework's <see cref="SseFormatter"/>: headers that keep proxies and
/// the server from holding events back, one flush per event, and a client that goes away ending it quietly.
/// </summary>
internal static class EventStreamResponse
{
    /// <summary>The data of the events that carry none (subscribed, heartbeat): an empty JSON object, so every event's data parses.</summary>
    public static readonly ReadOnlyMemory<byte> EmptyObject = "{}"u8.ToArray();

    public static async Task WriteAsync<T>(HttpContext context, IAsyncEnumerable<SseItem<T>> items, Action<SseItem<T>, IBufferWriter<byte>> format)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var ct = context.RequestAborted;
        try
        {
            await SseFormatter.WriteAsync(items, response.Body, format, ct);
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client went away; the items' enumerator has been disposed, which ends its subscription.
        }
    }

    /// <summary>Writes UTF-8 data as it is.</summary>
    public static void WriteBytes(SseItem<ReadOnlyMemory<byte>> item, IBufferWriter<byte> writer) => writer.Write(item.Data.Span);
}
